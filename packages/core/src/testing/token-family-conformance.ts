import { describe, expect, it } from 'vitest'
import { randomId } from '../internal/encoding.js'
import type { TokenFamilyStore } from '../session-store.js'
import { sessionRecord, tokenRecord } from './fixtures.js'
import { type StoreConformanceOptions, useStore } from './use-store.js'

const T0 = Date.UTC(2026, 0, 1)

/**
 * The {@link TokenFamilyStore} contract as executable tests (vitest): records
 * kept intact, the rotation compare-and-set under concurrent callers,
 * revocation and pruning. Call it at the top level of a test file:
 *
 * ```ts
 * describeTokenFamilyStoreContract('my store', { createStore: () => new MyStore(db) })
 * ```
 */
export function describeTokenFamilyStoreContract(
  name: string,
  options: StoreConformanceOptions<TokenFamilyStore>,
): void {
  const n = options.concurrency ?? 25
  describe(`${name}: TokenFamilyStore contract`, () => {
    const store = useStore(options)

    it('stores a session with its first token and reads both back intact', async () => {
      const session = sessionRecord({ deviceId: 'dev-1', user: { name: 'Zoë "ü" \u2028', nested: { a: [1, 2] } } })
      const token = tokenRecord(session)
      await store().createSession(session, token)
      expect(await store().findRefreshToken(token.hash)).toEqual({ token, session })
      expect(await store().getSession(session.id)).toEqual(session)
      expect(await store().findRefreshToken(randomId(32))).toBeNull()
      expect(await store().getSession(randomId())).toBeNull()
    })

    it('keeps nulls and large times exactly', async () => {
      const session = sessionRecord({ user: null, userAgent: null, ip: null, absoluteExpiresAt: 8_000_000_000_000 })
      const token = tokenRecord(session, { expiresAt: 8_000_000_000_000 })
      await store().createSession(session, token)
      expect(await store().findRefreshToken(token.hash)).toEqual({ token, session })
    })

    it('rotates once: marks the token used, links and inserts the successor, updates the session', async () => {
      const session = sessionRecord({ createdAt: T0 })
      const token = tokenRecord(session)
      await store().createSession(session, token)
      const successor = tokenRecord(session, { parentHash: token.hash, createdAt: T0 + 1000, expiresAt: T0 + 9e8 })
      const update = { lastUsedAt: T0 + 1000, expiresAt: T0 + 9e8, userAgent: 'Other/2.0', ip: '2001:db8::1' }
      const input = { hash: token.hash, sessionId: session.id, usedAt: T0 + 1000, successor, session: update }
      expect(await store().rotateRefreshToken(input)).toEqual({ status: 'rotated' })
      const used = await store().findRefreshToken(token.hash)
      expect(used?.token).toEqual({ ...token, usedAt: T0 + 1000, successorHash: successor.hash })
      expect(used?.session).toEqual({ ...session, ...update })
      expect((await store().findRefreshToken(successor.hash))?.token).toEqual(successor)
      const again = await store().rotateRefreshToken({
        ...input,
        successor: tokenRecord(session, { parentHash: token.hash }),
      })
      expect(again).toEqual({ status: 'used', token: { ...token, usedAt: T0 + 1000, successorHash: successor.hash } })
    })

    it(`lets exactly one of ${n} concurrent rotations win`, async () => {
      const session = sessionRecord()
      const token = tokenRecord(session)
      await store().createSession(session, token)
      const attempts = Array.from({ length: n }, (_, i) => {
        const successor = tokenRecord(session, { parentHash: token.hash })
        const update = { lastUsedAt: T0 + i, expiresAt: session.expiresAt, userAgent: null, ip: null }
        return { hash: token.hash, sessionId: session.id, usedAt: T0 + i, successor, session: update }
      })
      const results = await Promise.all(attempts.map((a) => store().rotateRefreshToken(a)))
      const winners = results.flatMap((r, i) => (r.status === 'rotated' ? [i] : []))
      expect(winners).toHaveLength(1)
      expect(results.filter((r) => r.status === 'used')).toHaveLength(n - 1)
      const winner = attempts[winners[0] as number]!
      expect((await store().findRefreshToken(token.hash))?.token.successorHash).toBe(winner.successor.hash)
      const inserted = await Promise.all(attempts.map((a) => store().findRefreshToken(a.successor.hash)))
      expect(inserted.filter(Boolean)).toHaveLength(1)
    })

    it('concurrent rotations deriving the same successor insert it once', async () => {
      const session = sessionRecord()
      const token = tokenRecord(session)
      await store().createSession(session, token)
      const successor = tokenRecord(session, { parentHash: token.hash })
      const update = { lastUsedAt: T0, expiresAt: session.expiresAt, userAgent: null, ip: null }
      const input = { hash: token.hash, sessionId: session.id, usedAt: T0, successor, session: update }
      const results = await Promise.all(Array.from({ length: n }, () => store().rotateRefreshToken(input)))
      expect(results.filter((r) => r.status === 'rotated')).toHaveLength(1)
      expect(results.filter((r) => r.status === 'used')).toHaveLength(n - 1)
    })

    it('does not rotate a token of a revoked session, nor a missing one', async () => {
      const session = sessionRecord()
      const token = tokenRecord(session)
      await store().createSession(session, token)
      expect(await store().revokeSession(session.id, { at: T0 + 5, reason: 'signed_out' })).toBe(true)
      const successor = tokenRecord(session, { parentHash: token.hash })
      const update = { lastUsedAt: T0, expiresAt: session.expiresAt, userAgent: null, ip: null }
      const input = { hash: token.hash, sessionId: session.id, usedAt: T0, successor, session: update }
      expect(await store().rotateRefreshToken(input)).toEqual({ status: 'revoked' })
      expect((await store().findRefreshToken(token.hash))?.token.usedAt).toBeNull()
      expect(await store().findRefreshToken(successor.hash)).toBeNull()
      const missing = { ...input, hash: randomId(32), successor: tokenRecord(session) }
      expect(await store().rotateRefreshToken(missing)).toEqual({ status: 'missing' })
      const foreign = { ...input, sessionId: randomId(), successor: tokenRecord(session) }
      expect(await store().rotateRefreshToken(foreign)).toEqual({ status: 'missing' })
    })

    it('revokes one session once, and a subject’s sessions but one', async () => {
      const subject = `user-${randomId(6)}`
      const sessions = [sessionRecord({ subject }), sessionRecord({ subject }), sessionRecord({ subject })]
      const other = sessionRecord()
      for (const s of [...sessions, other]) await store().createSession(s, tokenRecord(s))
      const [a, b, c] = sessions as [typeof other, typeof other, typeof other]
      expect(await store().revokeSession(a.id, { at: T0 + 1, reason: 'revoked' })).toBe(true)
      expect(await store().revokeSession(a.id, { at: T0 + 2, reason: 'again' })).toBe(false)
      expect(await store().revokeSession(randomId(), { at: T0, reason: 'x' })).toBe(false)
      expect(await store().getSession(a.id)).toMatchObject({ revokedAt: T0 + 1, revokeReason: 'revoked' })
      expect((await store().listSessions(subject)).map((s) => s.id).sort()).toEqual([b.id, c.id].sort())
      const count = await store().revokeSubjectSessions(subject, {
        at: T0 + 3,
        reason: 'everywhere',
        exceptSessionId: c.id,
      })
      expect(count).toBe(1)
      expect((await store().listSessions(subject)).map((s) => s.id)).toEqual([c.id])
      expect(await store().revokeSubjectSessions(subject, { at: T0 + 4, reason: 'everywhere' })).toBe(1)
      expect(await store().listSessions(subject)).toEqual([])
      expect(await store().listSessions(other.subject)).toHaveLength(1)
    })

    it('prunes expired tokens and long-ended sessions in bounded batches, and nothing live', async () => {
      const now = T0 + 40 * 86_400_000
      const day = 86_400_000
      // A live session whose first token expired after it was used: the old token goes, the live one stays.
      const live = sessionRecord({
        createdAt: now - 9 * day,
        expiresAt: now - 8 * day,
        absoluteExpiresAt: now + 20 * day,
      })
      const first = tokenRecord(live)
      await store().createSession(live, first)
      const successor = tokenRecord(live, { parentHash: first.hash, createdAt: now - 8.5 * day, expiresAt: now + day })
      const rotated = await store().rotateRefreshToken({
        hash: first.hash,
        sessionId: live.id,
        usedAt: now - 8.5 * day,
        successor,
        session: { lastUsedAt: now - 8.5 * day, expiresAt: now + day, userAgent: null, ip: null },
      })
      expect(rotated.status).toBe('rotated')
      const revokedLongAgo = sessionRecord({
        revokedAt: now - 10 * day,
        revokeReason: 'signed_out',
        absoluteExpiresAt: now + day,
      })
      const revokedRecently = sessionRecord({
        revokedAt: now - 1000,
        revokeReason: 'signed_out',
        expiresAt: now + day,
        absoluteExpiresAt: now + day,
      })
      const expiredLongAgo = sessionRecord({ createdAt: T0, expiresAt: T0 + 1000, absoluteExpiresAt: T0 + 2000 })
      const ended = [revokedLongAgo, revokedRecently, expiredLongAgo]
      const endedTokens = ended.map((s) => tokenRecord(s))
      for (const [i, s] of ended.entries()) await store().createSession(s, endedTokens[i]!)

      const total = { sessions: 0, refreshTokens: 0 }
      for (let pass = 0; pass < 50; pass++) {
        const r = await store().prune({ now, batchSize: 1, revokedRetentionMs: 7 * day })
        expect(r.sessions).toBeLessThanOrEqual(1)
        expect(r.refreshTokens).toBeLessThanOrEqual(1)
        total.sessions += r.sessions
        total.refreshTokens += r.refreshTokens
        if (r.sessions + r.refreshTokens === 0) break
      }
      expect(await store().findRefreshToken(first.hash)).toBeNull()
      expect((await store().findRefreshToken(successor.hash))?.session.id).toBe(live.id)
      expect(await store().findRefreshToken(endedTokens[1]!.hash)).not.toBeNull()
      expect(await store().getSession(revokedRecently.id)).not.toBeNull()
      expect(await store().getSession(revokedLongAgo.id)).toBeNull()
      expect(await store().getSession(expiredLongAgo.id)).toBeNull()
      expect(await store().findRefreshToken(endedTokens[0]!.hash)).toBeNull()
      expect(await store().findRefreshToken(endedTokens[2]!.hash)).toBeNull()
      expect(total.sessions).toBeGreaterThanOrEqual(2)
      expect(total.refreshTokens).toBeGreaterThanOrEqual(1) // tokens of deleted sessions may go by cascade, uncounted
    })
  })
}
