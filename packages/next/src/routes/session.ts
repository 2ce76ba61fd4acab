import { NotFoundError, RefreshTokenMissingError, SessionRevokedError } from '@baton/core'
import { toSessionInfo } from '@baton/core/internal'
import type { BatonContext } from '../context.js'
import { readCookie } from '../cookies/read-cookie.js'
import { clearedCookies } from '../cookies/set-cookie.js'
import { requestToken, verifyRequest } from '../http/request-auth.js'
import { assertSameOrigin } from '../http/request-guard.js'
import { json } from '../http/responses.js'

/**
 * `GET /session`: the signed-in user, the session and the access token for the in-memory client.
 * With neither an access token nor a refresh cookie, 401 `ERR_REFRESH_TOKEN_MISSING`: there is
 * nothing to refresh, and the client skips the `POST /refresh` it sends after other 401s.
 */
export async function getSession(ctx: BatonContext, request: Request): Promise<Response> {
  if (!requestToken(ctx, request) && !readCookie(request.headers.get('cookie'), ctx.names.refresh))
    throw new RefreshTokenMissingError('No session: sign in.')
  const auth = await verifyRequest(ctx, request, { strict: true })
  const session = await ctx.engine.store.getSession(auth.sessionId)
  if (!session) throw new SessionRevokedError()
  return json({
    user: auth.user,
    session: toSessionInfo(session, session.id),
    accessToken: auth.token,
    accessTokenExpiresAt: auth.expiresAt,
  })
}

/** `GET /sessions`: the user's live sessions (device list), the current one marked. */
export async function listSessions(ctx: BatonContext, request: Request): Promise<Response> {
  const auth = await verifyRequest(ctx, request, { strict: true })
  const sessions = await ctx.engine.listSessions({ subject: auth.subject })
  return json({ sessions: sessions.map((s) => toSessionInfo(s, auth.sessionId)) })
}

/** `DELETE /sessions/:id`: revokes one of the user's own sessions (404 for anyone else's). */
export async function revokeSession(ctx: BatonContext, request: Request, id: string): Promise<Response> {
  assertSameOrigin(request, ctx.options)
  const auth = await verifyRequest(ctx, request, { strict: true })
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(id)) throw new NotFoundError('No such session.')
  const revoked = await ctx.engine.revokeSession({ sessionId: id, subject: auth.subject })
  if (!revoked) throw new NotFoundError('No such session.')
  await ctx.upstream?.endSession(id)
  const current = id === auth.sessionId
  return json({ ok: true, current }, { cookies: current ? clearedCookies(ctx.names, ctx.options.cookies) : [] })
}

/** `GET /jwks`: the public signing keys (404 when tokens are HS256). */
export async function jwks(ctx: BatonContext): Promise<Response> {
  const set = await ctx.engine.jwks()
  if (set.keys.length === 0) throw new NotFoundError('Access tokens are HS256: there are no public keys.')
  return json(set, { headers: { 'cache-control': 'public, max-age=300' } })
}
