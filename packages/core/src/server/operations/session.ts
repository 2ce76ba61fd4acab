import {
  isBatonError,
  NotFoundError,
  RefreshTokenMissingError,
  type SessionInfo,
  SessionRevokedError,
} from '../../index.js'
import { toSessionInfo } from '../../internal.js'
import type { BatonContext } from '../context.js'
import { readCookie } from '../cookies/read-cookie.js'
import type { CookieInstruction } from '../cookies/set-cookie.js'
import { requestToken, type TokenSource, verifyRequest } from '../http/request-auth.js'
import type { BatonSession, SessionPayload } from './results.js'

/**
 * The session of a request for server code, or null when it is signed out
 * (no token, or one that fails with a 401). It verifies the access token
 * itself and never trusts a header set upstream. A request without a token is
 * answered without reading the clock.
 */
export async function currentSession(
  ctx: BatonContext,
  input: { request: { headers: Headers }; strict?: boolean | undefined },
): Promise<BatonSession | null> {
  const found = await sessionOrNull(ctx, { ...input, beforeClock: true })
  if (!found) return null
  const { source: _, ...session } = found
  return session
}

/**
 * `verifiedSession`, or null for a request without a token or with one that
 * fails with a 401; a framework's control flow goes on. With `beforeClock`,
 * the framework's hook runs between the two (Cache Components).
 */
export async function sessionOrNull(
  ctx: BatonContext,
  input: { request: { headers: Headers }; strict?: boolean | undefined; beforeClock?: boolean },
): Promise<(BatonSession & { source: TokenSource }) | null> {
  try {
    if (!requestToken(ctx, input.request)) return null
    if (input.beforeClock) await ctx.beforeClock()
    return await verifiedSession(ctx, input)
  } catch (error) {
    ctx.rethrowControlFlow(error)
    if (isBatonError(error) && error.status === 401) return null
    throw error
  }
}

/** The request's verified session, or a 401 saying why (`ERR_UNAUTHENTICATED`, `ERR_ACCESS_TOKEN_EXPIRED`…). */
export async function verifiedSession(
  ctx: BatonContext,
  input: { request: { headers: Headers }; strict?: boolean | undefined },
): Promise<BatonSession & { source: TokenSource }> {
  const auth = await verifyRequest(ctx, input.request, { strict: input.strict === true })
  return {
    user: auth.user,
    subject: auth.subject,
    sessionId: auth.sessionId,
    expiresAt: auth.expiresAt,
    accessToken: auth.token,
    claims: auth.claims,
    source: auth.source,
  }
}

/**
 * What `GET /session` answers: the user, the session (checked in the store)
 * and the access token for the in-memory client. With neither an access token
 * nor a refresh cookie, `ERR_REFRESH_TOKEN_MISSING`: there is nothing to refresh.
 */
export async function currentSessionPayload(ctx: BatonContext, input: { request: Request }): Promise<SessionPayload> {
  const { request } = input
  if (!requestToken(ctx, request) && !readCookie(request.headers.get('cookie'), ctx.names.refresh))
    throw new RefreshTokenMissingError('No session: sign in.')
  const auth = await verifyRequest(ctx, request, { strict: true })
  const session = await ctx.engine.store.getSession(auth.sessionId)
  if (!session) throw new SessionRevokedError()
  return {
    user: auth.user,
    session: toSessionInfo(session, session.id),
    accessToken: auth.token,
    accessTokenExpiresAt: auth.expiresAt,
  }
}

/** The request's user's live sessions (a device list), the current one marked. */
export async function listSessions(ctx: BatonContext, input: { request: Request }): Promise<SessionInfo[]> {
  const auth = await verifyRequest(ctx, input.request, { strict: true })
  const sessions = await ctx.engine.listSessions({ subject: auth.subject })
  return sessions.map((s) => toSessionInfo(s, auth.sessionId))
}

/**
 * Revokes one of the request's user's own sessions (`ERR_NOT_FOUND` for
 * anyone else's). Revoking the current one also deletes the cookies.
 */
export async function revokeSession(
  ctx: BatonContext,
  input: { request: Request; sessionId: string },
): Promise<{ current: boolean; cookies: CookieInstruction[] }> {
  const auth = await verifyRequest(ctx, input.request, { strict: true })
  const id = input.sessionId
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(id)) throw new NotFoundError('No such session.')
  const revoked = await ctx.engine.revokeSession({ sessionId: id, subject: auth.subject })
  if (!revoked) throw new NotFoundError('No such session.')
  await ctx.keeper?.endSession(id)
  const current = id === auth.sessionId
  return { current, cookies: current ? ctx.clearCookies() : [] }
}

/** The public signing keys (`ERR_NOT_FOUND` when access tokens are HS256). */
export async function publicKeys(ctx: BatonContext): Promise<{ keys: readonly object[] }> {
  const set = await ctx.engine.jwks()
  if (set.keys.length === 0) throw new NotFoundError('Access tokens are HS256: there are no public keys.')
  return set
}
