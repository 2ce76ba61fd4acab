import type {
  PruneInput,
  PruneResult,
  RateLimitInput,
  RateLimitResult,
  RefreshTokenRecord,
  RefreshTokenWithSession,
  Revocation,
  RotateRefreshTokenInput,
  RotateRefreshTokenResult,
  SessionRecord,
  SessionStore,
} from './session-store.js'
import { MemoryRateLimitStore } from './store/memory-rate-limit-store.js'

/**
 * An in-memory `SessionStore` (token families, rate limits and session data)
 * for tests, prototypes and single-process demos. Each method runs without
 * awaiting in between, so it is atomic within one process. Data is lost on restart and not shared between processes: use
 * `@baton/drizzle` in production.
 */
export class MemorySessionStore implements SessionStore {
  readonly #sessions = new Map<string, SessionRecord>()
  readonly #tokens = new Map<string, RefreshTokenRecord>()
  readonly #limits = new MemoryRateLimitStore()

  async createSession(session: SessionRecord, token: RefreshTokenRecord): Promise<void> {
    if (this.#sessions.has(session.id) || this.#tokens.has(token.hash)) throw new Error('Duplicate session or token.')
    this.#sessions.set(session.id, { ...session })
    this.#tokens.set(token.hash, { ...token })
  }

  async findRefreshToken(hash: string): Promise<RefreshTokenWithSession | null> {
    const token = this.#tokens.get(hash)
    const session = token && this.#sessions.get(token.sessionId)
    return token && session ? { token: { ...token }, session: { ...session } } : null
  }

  async rotateRefreshToken(input: RotateRefreshTokenInput): Promise<RotateRefreshTokenResult> {
    const token = this.#tokens.get(input.hash)
    const session = this.#sessions.get(input.sessionId)
    if (!token || !session || token.sessionId !== input.sessionId) return { status: 'missing' }
    if (token.usedAt !== null) return { status: 'used', token: { ...token } }
    if (session.revokedAt !== null) return { status: 'revoked' }
    if (this.#tokens.has(input.successor.hash)) throw new Error('Duplicate successor.')
    token.usedAt = input.usedAt
    token.successorHash = input.successor.hash
    this.#tokens.set(input.successor.hash, { ...input.successor })
    Object.assign(session, input.session)
    return { status: 'rotated' }
  }

  async getSession(id: string): Promise<SessionRecord | null> {
    const session = this.#sessions.get(id)
    return session ? { ...session } : null
  }

  async listSessions(subject: string): Promise<SessionRecord[]> {
    return [...this.#sessions.values()]
      .filter((s) => s.subject === subject && s.revokedAt === null)
      .map((s) => ({ ...s }))
  }

  async revokeSession(id: string, revocation: Revocation): Promise<boolean> {
    const session = this.#sessions.get(id)
    if (!session || session.revokedAt !== null) return false
    session.revokedAt = revocation.at
    session.revokeReason = revocation.reason
    return true
  }

  async revokeSubjectSessions(subject: string, revocation: Revocation & { exceptSessionId?: string }): Promise<number> {
    let count = 0
    for (const session of this.#sessions.values()) {
      if (session.subject !== subject || session.id === revocation.exceptSessionId) continue
      if (await this.revokeSession(session.id, revocation)) count++
    }
    return count
  }

  async updateSessionData(id: string, input: { data: string | null; expectedVersion: number }): Promise<number | null> {
    const session = this.#sessions.get(id)
    if (!session || session.dataVersion !== input.expectedVersion) return null
    session.data = input.data
    session.dataVersion += 1
    return session.dataVersion
  }

  consumeRateLimit(input: RateLimitInput): Promise<RateLimitResult> {
    return this.#limits.consumeRateLimit(input)
  }

  resetRateLimit(key: string): Promise<void> {
    return this.#limits.resetRateLimit(key)
  }

  async prune(input: PruneInput): Promise<PruneResult> {
    const result: PruneResult = { sessions: 0, refreshTokens: 0, rateLimits: 0 }
    const cutoff = input.now - input.revokedRetentionMs
    for (const [id, s] of this.#sessions) {
      if (result.sessions >= input.batchSize) break
      const ended = s.revokedAt !== null ? s.revokedAt <= cutoff : Math.min(s.expiresAt, s.absoluteExpiresAt) <= cutoff
      if (ended) {
        this.#sessions.delete(id)
        result.sessions++
      }
    }
    for (const [hash, t] of this.#tokens) {
      if (result.refreshTokens >= input.batchSize) break
      if (t.expiresAt <= input.now || !this.#sessions.has(t.sessionId)) {
        this.#tokens.delete(hash)
        result.refreshTokens++
      }
    }
    result.rateLimits = (await this.#limits.prune(input)).rateLimits
    return result
  }
}
