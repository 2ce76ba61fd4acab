import { MemorySessionStore } from '../memory-store.js'
import type { TokenFamilyStore } from '../session-store.js'

/**
 * A store with exactly the `TokenFamilyStore` methods (of a memory store) and nothing else: no
 * rate limits, no session data. For testing code that must work with the smallest store an
 * author may write.
 */
export function tokenFamilyOnlyStore(inner: MemorySessionStore = new MemorySessionStore()): TokenFamilyStore {
  return {
    createSession: (session, token) => inner.createSession(session, token),
    findRefreshToken: (hash) => inner.findRefreshToken(hash),
    rotateRefreshToken: (input) => inner.rotateRefreshToken(input),
    getSession: (id) => inner.getSession(id),
    listSessions: (subject) => inner.listSessions(subject),
    revokeSession: (id, revocation) => inner.revokeSession(id, revocation),
    revokeSubjectSessions: (subject, revocation) => inner.revokeSubjectSessions(subject, revocation),
    prune: (input) => inner.prune(input),
  }
}
