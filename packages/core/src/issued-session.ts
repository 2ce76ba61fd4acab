import type { JsonObject, SessionRecord } from './session-store.js'

/** What sign-in and refresh hand out. Cookies carry the tokens; never log them. */
export interface IssuedSession {
  accessToken: string
  /** ms since the epoch (the JWT `exp`, which has one-second precision). */
  accessTokenExpiresAt: number
  refreshToken: string
  /** ms since the epoch; when the refresh cookie should expire. */
  refreshTokenExpiresAt: number
  session: SessionRecord
  /** True when a re-presented token got its successor back within the grace window. */
  graced: boolean
}

/** Signs an access token for `session` and answers with its refresh token: the pair a sign-in or rotation issues. */
export type IssueTokens = (
  session: SessionRecord,
  refreshToken: string,
  refreshTokenExpiresAt: number,
  graced: boolean,
) => Promise<IssuedSession>

/** A freshly signed access token. */
export interface SignedAccessToken {
  accessToken: string
  /** ms since the epoch (the JWT `exp`, which has one-second precision). */
  accessTokenExpiresAt: number
}

/**
 * What `updateSession` hands out: a new access token for the same session.
 * The refresh token is not rotated, so there is none here; the refresh
 * cookie stays as it is.
 */
export interface UpdatedSession extends SignedAccessToken {
  session: SessionRecord
}

/** A verified access token, in the shape server code uses. */
export interface VerifiedAccessToken {
  subject: string
  sessionId: string
  /** The user snapshot carried by the token (the `user` claim), if any. */
  user: JsonObject | null
  /** ms since the epoch. */
  expiresAt: number
  /** Every claim of the token. */
  claims: Record<string, unknown>
}

/** A session as shown to its owner (device list): no tokens, no opaque data. */
export interface SessionInfo {
  id: string
  createdAt: number
  lastUsedAt: number
  expiresAt: number
  absoluteExpiresAt: number
  userAgent: string | null
  ip: string | null
  deviceId: string | null
  /** True for the session that made the request. */
  current: boolean
}

/** The owner's view of a session record. */
export function toSessionInfo(session: SessionRecord, currentSessionId?: string | null): SessionInfo {
  return {
    id: session.id,
    createdAt: session.createdAt,
    lastUsedAt: session.lastUsedAt,
    expiresAt: Math.min(session.expiresAt, session.absoluteExpiresAt),
    absoluteExpiresAt: session.absoluteExpiresAt,
    userAgent: session.userAgent,
    ip: session.ip,
    deviceId: session.deviceId,
    current: session.id === currentSessionId,
  }
}
