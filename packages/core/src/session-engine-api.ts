import type { RequestMeta, ResolvedEngineOptions } from './engine-options.js'
import type { IssuedSession, UpdatedSession, VerifiedAccessToken } from './issued-session.js'
import type { JsonObject, PruneResult, SessionRecord, SessionStore } from './session-store.js'

/** Input of {@link SessionEngine.signIn}. */
export interface SignInInput {
  /** The user's stable id (`sub`). */
  subject: string
  /** A JSON snapshot of the user, kept on the session and put in access tokens. */
  user?: JsonObject | null
  meta?: RequestMeta
}

/** The session engine: every token operation of one Baton instance. */
export interface SessionEngine {
  readonly options: ResolvedEngineOptions
  /**
   * The guarded store (driver failures become `ERR_STORE_UNAVAILABLE`), made
   * whole: without a `RateLimitStore` it counts attempts in process memory;
   * without a `SessionDataStore`, `updateSessionData` throws `ConfigError`.
   */
  readonly store: SessionStore
  /** Starts a session (a new token family) and issues its first token pair. */
  signIn(input: SignInInput): Promise<IssuedSession>
  /** Rotates a refresh token; see DESIGN.md for grace and reuse semantics. */
  refresh(input: { refreshToken: unknown; meta?: RequestMeta }): Promise<IssuedSession>
  /**
   * Re-issues a live session's access token with `claims` computed afresh (a
   * role changed), without signing in again and without rotating the refresh
   * token, which stays valid. Reads the store, never the revocation cache.
   * The user's other sessions pick the change up at their next refresh.
   * @throws SessionRevokedError (unknown or revoked session), SessionExpiredError (idle or absolute expiry)
   */
  updateSession(input: { sessionId: string }): Promise<UpdatedSession>
  /** Ends the session a refresh token or session id belongs to; idempotent. */
  signOut(input: { refreshToken?: unknown; sessionId?: string }): Promise<SessionRecord | null>
  /** Revokes one session; with `subject`, only if that subject owns it. */
  revokeSession(input: { sessionId: string; subject?: string; reason?: string }): Promise<boolean>
  /** Revokes every live session of a subject, optionally but one. */
  revokeAllSessions(input: { subject: string; exceptSessionId?: string; reason?: string }): Promise<number>
  /** The subject's live sessions (neither revoked nor expired), newest use first. */
  listSessions(input: { subject: string }): Promise<SessionRecord[]>
  /**
   * Verifies an access token. With `strict`, also checks in the store (cached
   * for `revocationCacheTtl`) that its session is neither revoked nor expired.
   */
  verifyAccessToken(token: unknown, options?: { strict?: boolean }): Promise<VerifiedAccessToken>
  /** The public JWKS (empty `keys` for HS256). */
  jwks(): Promise<{ keys: readonly object[] }>
  /** Derives a 256-bit key for another purpose from the current secret (HKDF). */
  deriveKey(label: string): Promise<Uint8Array<ArrayBuffer>>
  /** Deletes expired and long-revoked rows in bounded batches. */
  prune(input?: { batchSize?: number; revokedRetention?: number }): Promise<PruneResult>
}
