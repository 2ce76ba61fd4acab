import { type AccessTokenPolicy, signAccessToken, verifyAccessToken } from './access-token.js'
import { resolveEngineOptions, type SessionEngineOptions } from './engine-options.js'
import { ConfigError, SessionRevokedError } from './errors.js'
import { emit } from './events.js'
import { guardStore } from './guarded-store.js'
import { isPromiseLike, loadOnce } from './internal/awaitable.js'
import type { IssueTokens, SignedAccessToken } from './issued-session.js'
import { asymmetricKeySet, checkSigningKeys, hmacKeySet } from './key-set.js'
import { refreshTokens } from './refresh-token.js'
import { RevocationCache } from './revocation-cache.js'
import { createRevocationGate } from './revocation-gate.js'
import { assertSessionUsable, isConsistent, rotateRefreshToken } from './rotate-refresh-token.js'
import { deriveSecret, normalizeSecrets } from './secret.js'
import type { SessionEngine } from './session-engine-api.js'
import type { JsonObject, SessionRecord } from './session-store.js'
import { startSession } from './start-session.js'
import { updateSession } from './update-session.js'

export type { SessionEngine, SignInInput } from './session-engine-api.js'

/** Creates the session engine. Validates options synchronously; keys are derived on first use. */
export function createSessionEngine(input: SessionEngineOptions): SessionEngine {
  const options = resolveEngineOptions(input)
  const secretList = normalizeSecrets(input.secret)
  if (input.keys) checkSigningKeys(input.keys)
  const store = guardStore(options.store)
  const tokens = refreshTokens(options.refreshTokenPrefix)
  const policy: AccessTokenPolicy = {
    issuer: options.issuer,
    audience: options.audience,
    clockTolerance: options.clockTolerance,
  }
  const cache = new RevocationCache(options.revocationCacheTtlMs)
  const gate = createRevocationGate(options)
  // Derived once; afterwards read without an await (the refresh path signs with them every time).
  const secrets = loadOnce(() => Promise.all(secretList.map(deriveSecret)))
  const keys = loadOnce(async () => (input.keys ? asymmetricKeySet(input.keys) : hmacKeySet(await secrets())))

  /** Signs an access token with `claims(session)` computed now; it never outlives the session. */
  async function sign(session: SessionRecord, now: number): Promise<SignedAccessToken> {
    const expiresAt = Math.floor(Math.min(now + options.accessTokenTtlMs, session.absoluteExpiresAt) / 1000) * 1000
    const loaded = keys()
    const set = isPromiseLike(loaded) ? await loaded : loaded
    const claims = options.claims(session)
    const accessToken = signAccessToken(set, policy, {
      subject: session.subject,
      sessionId: session.id,
      claims: isPromiseLike(claims) ? await claims : claims,
      issuedAt: now,
      expiresAt,
    })
    return {
      accessToken: isPromiseLike(accessToken) ? await accessToken : accessToken,
      accessTokenExpiresAt: expiresAt,
    }
  }

  const issue: IssueTokens = async (session, refreshToken, refreshTokenExpiresAt, graced) => {
    const signed = await sign(session, options.clock.now())
    return { ...signed, refreshToken, refreshTokenExpiresAt, session, graced }
  }

  /** Sessions just revoked here: no cached "not revoked" for them, and every instance told (with a feed). */
  const forgetRevoked = (ids: readonly string[], now: number) => {
    for (const id of ids) cache.forget(id)
    gate?.revoked(ids, now)
  }
  const onRevoked = (id: string) => forgetRevoked([id], options.clock.now())
  const ctx = { options, store, tokens, secrets, issue, onRevoked }

  async function endSession(session: SessionRecord, reason: string): Promise<boolean> {
    const now = options.clock.now()
    const revoked = await store.revokeSession(session.id, { at: now, reason })
    forgetRevoked([session.id], now)
    if (revoked) {
      const type = reason === 'signed_out' ? 'signed_out' : 'session_revoked'
      emit(options.onEvent, { type, at: now, subject: session.subject, sessionId: session.id, reason })
    }
    return revoked
  }

  return {
    options,
    store,
    signIn: (input) => startSession(ctx, input),

    refresh: ({ refreshToken, meta = {} }) => rotateRefreshToken(ctx, refreshToken, meta),

    updateSession: ({ sessionId }) => updateSession({ options, store, sign }, sessionId),

    async signOut({ refreshToken, sessionId }) {
      let session: SessionRecord | null = null
      if (tokens.isWellFormed(refreshToken)) {
        const hash = await tokens.hash(refreshToken)
        const found = await store.findRefreshToken(hash)
        session = isConsistent(found, hash) ? found.session : null
      } else if (typeof sessionId === 'string' && sessionId.length > 0) {
        session = await store.getSession(sessionId)
      }
      if (session) await endSession(session, 'signed_out')
      return session
    },

    async revokeSession({ sessionId, subject, reason = 'revoked' }) {
      const session = await store.getSession(sessionId)
      if (!session || (subject !== undefined && session.subject !== subject)) return false
      return endSession(session, reason)
    },

    async revokeAllSessions({ subject, exceptSessionId, reason = 'signed_out_everywhere' }) {
      const now = options.clock.now()
      const live = await store.listSessions(subject)
      const count = await store.revokeSubjectSessions(subject, {
        at: now,
        reason,
        ...(exceptSessionId ? { exceptSessionId } : {}),
      })
      const ended = live.filter((session) => session.id !== exceptSessionId)
      forgetRevoked(
        ended.map((session) => session.id),
        now,
      )
      for (const session of ended) {
        emit(options.onEvent, { type: 'session_revoked', at: now, subject, sessionId: session.id, reason })
      }
      return count
    },

    async listSessions({ subject }) {
      const now = options.clock.now()
      const sessions = await store.listSessions(subject)
      return sessions
        .filter((s) => s.revokedAt === null && now < s.expiresAt && now < s.absoluteExpiresAt)
        .sort((a, b) => b.lastUsedAt - a.lastUsedAt)
    },

    async verifyAccessToken(token, { strict = false } = {}) {
      const now = options.clock.now()
      const claims = await verifyAccessToken(await keys(), policy, token, now)
      // With a revocation feed: a session revoked anywhere is refused at once; a feed that
      // may have missed revocations makes the check strict (never fail open).
      const verdict = gate?.verdict(claims.sid, now) ?? 'ok'
      if (verdict === 'revoked') throw new SessionRevokedError()
      if (strict || verdict === 'unknown') {
        // A feed that may have missed revocations: the store itself, not a cached "not revoked".
        const load = () => store.getSession(claims.sid)
        const state = verdict === 'unknown' ? await load() : await cache.get(claims.sid, now, load)
        if (!state) throw new SessionRevokedError()
        assertSessionUsable(state, now)
      }
      const user = claims.user
      return {
        subject: claims.sub,
        sessionId: claims.sid,
        user: user && typeof user === 'object' && !Array.isArray(user) ? (user as JsonObject) : null,
        expiresAt: claims.exp * 1000,
        claims,
      }
    },

    async jwks() {
      return { keys: [...(await keys()).jwks.keys] }
    },

    async deriveKey(label) {
      const [current] = await secrets()
      if (!current) throw new ConfigError('No secret configured.')
      return current.deriveBits(label)
    },

    prune({ batchSize = 1000, revokedRetention = 7 * 86_400 } = {}) {
      return store.prune({ now: options.clock.now(), batchSize, revokedRetentionMs: revokedRetention * 1000 })
    },
  }
}
