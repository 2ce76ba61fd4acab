import type { ResolvedEngineOptions } from './engine-options.js'
import { ConfigError, SessionExpiredError, SessionRevokedError } from './errors.js'
import { emit } from './events.js'
import type { SignedAccessToken, UpdatedSession } from './issued-session.js'
import type { SessionRecord, SessionStore } from './session-store.js'

/** The engine internals `updateSession` needs. */
export interface UpdateSessionContext {
  options: ResolvedEngineOptions
  store: SessionStore
  /** Signs an access token for the session, with `claims(session)` computed afresh. */
  sign: (session: SessionRecord, now: number) => Promise<SignedAccessToken>
}

/**
 * Re-issues a live session's access token with fresh claims, leaving its
 * refresh token alone. The session is read from the store itself, never from
 * the revocation cache, so a stale cached "not revoked" cannot bring a revoked
 * session back; and nothing is written (the store, the cache), so an update
 * racing a revocation cannot undo it. A token signed in that race dies like
 * any other access token of a revoked session: at once under a strict check,
 * at its expiry otherwise.
 *
 * @throws SessionRevokedError when the session is unknown or revoked.
 * @throws SessionExpiredError when it is past its idle or absolute expiry.
 */
export async function updateSession(ctx: UpdateSessionContext, sessionId: unknown): Promise<UpdatedSession> {
  if (typeof sessionId !== 'string' || sessionId.length === 0) {
    throw new ConfigError('updateSession: `sessionId` must be a non-empty string.')
  }
  const { options, store } = ctx
  const session = await store.getSession(sessionId)
  if (!session || session.revokedAt !== null) throw new SessionRevokedError()
  const now = options.clock.now()
  if (now >= session.absoluteExpiresAt || now >= session.expiresAt) throw new SessionExpiredError()
  const signed = await ctx.sign(session, now)
  emit(options.onEvent, { type: 'session_updated', at: now, subject: session.subject, sessionId: session.id })
  return { ...signed, session }
}
