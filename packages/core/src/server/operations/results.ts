import type { IssuedSession, JsonObject, SessionInfo } from '../../index.js'
import type { CookieInstruction } from '../cookies/set-cookie.js'

/** What the sign-in, refresh and session answers carry as JSON. */
export interface SessionPayload {
  user: JsonObject | null
  accessToken: string
  /** ms since the epoch. */
  accessTokenExpiresAt: number
  session: SessionInfo
}

/** A new token pair: the payload, the refresh token (for a token-transport answer) and the cookies. */
export interface IssuedTokens extends SessionPayload {
  /** The user's id (`sub`). */
  subject: string
  refreshToken: string
  /** ms since the epoch. */
  refreshTokenExpiresAt: number
  cookies: CookieInstruction[]
}

/** The signed-in user as server code sees it. */
export interface BatonSession {
  user: JsonObject | null
  subject: string
  sessionId: string
  /** When the access token expires (ms since the epoch). */
  expiresAt: number
  /** The verified access token (e.g. to call your own API on the user's behalf). */
  accessToken: string
  /** Every claim of the access token, the app's own from `claims` included (`role` after `updateSession`). */
  claims: Record<string, unknown>
}

/** The payload and cookies of an issued session. */
export function issuedTokens(
  issued: IssuedSession,
  user: JsonObject | null,
  session: SessionInfo,
  cookies: CookieInstruction[],
): IssuedTokens {
  return {
    subject: issued.session.subject,
    user,
    accessToken: issued.accessToken,
    accessTokenExpiresAt: issued.accessTokenExpiresAt,
    session,
    refreshToken: issued.refreshToken,
    refreshTokenExpiresAt: issued.refreshTokenExpiresAt,
    cookies,
  }
}
