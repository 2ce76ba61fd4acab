/**
 * The storage contract behind Baton, split by concern so that a store
 * implements only what its app uses:
 *
 * - {@link TokenFamilyStore}: sessions (token families) and the SHA-256 hashes
 *   of their refresh tokens — what the session engine needs. A store never
 *   sees a plain token.
 * - {@link RateLimitStore}: fixed-window attempt counters (login rate limits).
 *   Without one, the engine counts in process memory (per instance).
 * - {@link SessionDataStore}: a compare-and-set write of a session's opaque
 *   `data`, which upstream mode keeps sealed third-party tokens in.
 *
 * {@link SessionStore} is all three. Times are milliseconds since the epoch.
 *
 * Every method must be safe under concurrency across processes. The one that
 * matters most is {@link TokenFamilyStore.rotateRefreshToken}: an atomic
 * compare-and-set that lets exactly one caller use a given token.
 *
 * `@baton/core/testing` exports one conformance suite per interface; run the
 * ones you implement against every driver you support.
 */

/** JSON-serialisable values, as stored in a session's user snapshot. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue }

/** A JSON object. */
export type JsonObject = { [key: string]: JsonValue }

/** One sign-in: the family of every refresh token descended from it. */
export interface SessionRecord {
  id: string
  subject: string
  /** A snapshot of the user at sign-in, for display and access-token claims. */
  user: JsonObject | null
  createdAt: number
  lastUsedAt: number
  /** Idle expiry: the expiry of the family's newest token (slides on refresh). */
  expiresAt: number
  /** Hard cap; no refresh extends a session past it. */
  absoluteExpiresAt: number
  revokedAt: number | null
  revokeReason: string | null
  userAgent: string | null
  ip: string | null
  deviceId: string | null
  /** Opaque adapter data (e.g. encrypted upstream tokens); Baton core never reads it. */
  data: string | null
  /** Incremented on every data write, for compare-and-set updates. */
  dataVersion: number
}

/** One refresh token, by hash. */
export interface RefreshTokenRecord {
  hash: string
  sessionId: string
  parentHash: string | null
  /** Set when the token is used: the hash of its one successor. */
  successorHash: string | null
  createdAt: number
  expiresAt: number
  usedAt: number | null
}

/** A token and the session it belongs to, read together. */
export interface RefreshTokenWithSession {
  token: RefreshTokenRecord
  session: SessionRecord
}

/** Input of the rotation compare-and-set. */
export interface RotateRefreshTokenInput {
  /** Hash of the presented token. */
  hash: string
  sessionId: string
  usedAt: number
  /** The successor row to insert; its `parentHash` is `hash`. */
  successor: RefreshTokenRecord
  /** Session fields refreshed on use. */
  session: Pick<SessionRecord, 'lastUsedAt' | 'expiresAt' | 'userAgent' | 'ip'>
}

/**
 * - `rotated`: this caller won; the token is marked used and the successor exists.
 * - `used`: the token was already used (by an earlier or concurrent caller).
 * - `revoked`: the session was revoked; nothing changed.
 * - `missing`: no such token; nothing changed.
 */
export type RotateRefreshTokenResult =
  | { status: 'rotated' }
  | { status: 'used'; token: RefreshTokenRecord }
  | { status: 'revoked' }
  | { status: 'missing' }

/** Why and when a session ended. */
export interface Revocation {
  at: number
  reason: string
}

/** A fixed-window attempt counter. */
export interface RateLimitInput {
  key: string
  limit: number
  windowMs: number
  now: number
}

/** Result of counting one attempt. */
export interface RateLimitResult {
  allowed: boolean
  /** Attempts counted in the current window, this one included. */
  count: number
  /** When the current window ends (ms). */
  resetAt: number
}

/** Bounds of one prune pass. */
export interface PruneInput {
  now: number
  /** Rows deleted per statement; keeps locks short. */
  batchSize: number
  /** How long revoked sessions are kept (for the device list and audits). */
  revokedRetentionMs: number
}

/** Rows removed by a prune pass. */
export interface PruneResult {
  sessions: number
  refreshTokens: number
  rateLimits: number
}

/**
 * Sessions (token families) and their refresh tokens: everything the session
 * engine needs for sign-in, refresh, sign-out and the device list.
 */
export interface TokenFamilyStore {
  /** Inserts a session and its first refresh token atomically. */
  createSession(session: SessionRecord, token: RefreshTokenRecord): Promise<void>
  /** Reads a token with its session, or null when either is missing. */
  findRefreshToken(hash: string): Promise<RefreshTokenWithSession | null>
  /**
   * In one transaction: marks the token used (only if unused and its session
   * is not revoked), records the successor hash, inserts the successor and
   * updates the session. Exactly one concurrent caller gets `rotated`.
   */
  rotateRefreshToken(input: RotateRefreshTokenInput): Promise<RotateRefreshTokenResult>
  /** Reads one session, revoked or not (its `data` and `dataVersion` included). */
  getSession(id: string): Promise<SessionRecord | null>
  /** The subject's sessions that are not revoked (expired ones included). */
  listSessions(subject: string): Promise<SessionRecord[]>
  /** Revokes one session; false when it was already revoked or missing. */
  revokeSession(id: string, revocation: Revocation): Promise<boolean>
  /** Revokes every live session of a subject but `exceptSessionId`; returns how many. */
  revokeSubjectSessions(subject: string, revocation: Revocation & { exceptSessionId?: string }): Promise<number>
  /**
   * Deletes expired tokens and ended sessions — and stale rate-limit counters
   * if the store keeps them (else `rateLimits: 0`) — in batches.
   */
  prune(input: PruneInput): Promise<PruneResult>
}

/** Login-attempt counters, shared by every instance that uses the store. */
export interface RateLimitStore {
  /** Counts one attempt atomically; concurrent callers never share a count. */
  consumeRateLimit(input: RateLimitInput): Promise<RateLimitResult>
  /** Forgets a counter (e.g. after a successful sign-in). */
  resetRateLimit(key: string): Promise<void>
}

/**
 * Writes a session's opaque `data` (read back with `getSession`) by
 * compare-and-set on `dataVersion`. Upstream mode needs it: it keeps the
 * sealed upstream tokens there and leases their refresh across instances.
 */
export interface SessionDataStore {
  /**
   * Replaces a session's opaque `data` if its `dataVersion` still equals
   * `expectedVersion` (compare-and-set); returns the new version, or null.
   */
  updateSessionData(id: string, input: { data: string | null; expectedVersion: number }): Promise<number | null>
}

/** The whole contract: token families, rate limits and session data (what `@baton/drizzle` implements). */
export interface SessionStore extends TokenFamilyStore, RateLimitStore, SessionDataStore {}

/**
 * What the session engine takes: a {@link TokenFamilyStore}, which may also be
 * a {@link RateLimitStore} and a {@link SessionDataStore} (the engine uses
 * those methods when they are there).
 */
export type SessionEngineStore = TokenFamilyStore & Partial<RateLimitStore> & Partial<SessionDataStore>
