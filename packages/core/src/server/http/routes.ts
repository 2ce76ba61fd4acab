import { BadRequestError } from '../../index.js'
import type { BatonContext } from '../context.js'
import { refresh } from '../operations/refresh.js'
import type { IssuedTokens, SessionPayload } from '../operations/results.js'
import { currentSessionPayload, listSessions, publicKeys, revokeSession } from '../operations/session.js'
import { signIn } from '../operations/sign-in.js'
import { signOut } from '../operations/sign-out.js'
import { cookiesAfter } from '../operations/terminal-errors.js'
import { assertSameOrigin, readJsonBody } from './request-guard.js'
import { errorResponse, json } from './responses.js'
import { bodyRefreshToken, type Transport } from './transport.js'

// The auth routes over HTTP: each checks what the transport owes (CSRF for
// cookies, body shape) and answers JSON from one operation. No domain logic here.

/** What the router hands a route: the `:id` path segment where it has one, and the request's transport. */
export interface RouteInput {
  param: string
  transport: Transport
}

/** A route of the router. */
export type RouteHandler = (ctx: BatonContext, request: Request, route: RouteInput) => Promise<Response>

/** The cookie transport's state-changing routes refuse cross-site calls; the token transport has no ambient credential. */
export function guard(ctx: BatonContext, request: Request, { transport }: RouteInput): void {
  if (transport === 'cookie') assertSameOrigin(request, ctx.options)
}

/** A new token pair's answer: the refresh token in its cookie, or for the token transport in the JSON. */
function tokensAnswer(issued: IssuedTokens, transport: Transport): Response {
  const { user, accessToken, accessTokenExpiresAt, session } = issued
  const body: SessionPayload = { user, accessToken, accessTokenExpiresAt, session }
  if (transport === 'cookie') return json(body, { cookies: issued.cookies })
  return json({ ...body, refreshToken: issued.refreshToken, refreshTokenExpiresAt: issued.refreshTokenExpiresAt })
}

/** `POST /login` with JSON credentials. */
export const loginRoute: RouteHandler = async (ctx, request, route) => {
  guard(ctx, request, route)
  const issued = await signIn(ctx, { request, credentials: await readJsonBody(request, ctx.options) })
  return tokensAnswer(issued, route.transport)
}

/** `POST /refresh`: a terminal failure deletes the cookies; an outage (503) keeps them. */
export const refreshRoute: RouteHandler = async (ctx, request, route) => {
  guard(ctx, request, route)
  const refreshToken =
    route.transport === 'token'
      ? bodyRefreshToken(await readJsonBody(request, ctx.options), { required: true })
      : undefined
  try {
    return tokensAnswer(await refresh(ctx, { request, refreshToken }), route.transport)
  } catch (error) {
    ctx.rethrowControlFlow(error)
    const cookies = route.transport === 'cookie' ? cookiesAfter(error, ctx.clearCookies) : []
    return errorResponse(error, { cookies })
  }
}

/** `POST /logout` with an optional `{ "everywhere": true }` (and the token transport's `refreshToken`). */
export const logoutRoute: RouteHandler = async (ctx, request, route) => {
  guard(ctx, request, route)
  const body = await readJsonBody(request, ctx.options, { optional: true })
  if (body.everywhere !== undefined && typeof body.everywhere !== 'boolean') {
    throw new BadRequestError('`everywhere` must be a boolean.')
  }
  const refreshToken = route.transport === 'token' ? bodyRefreshToken(body, { required: false }) : undefined
  const { revoked, cookies } = await signOut(ctx, { request, everywhere: body.everywhere === true, refreshToken })
  return json({ ok: true, revoked }, { cookies: route.transport === 'cookie' ? cookies : [] })
}

/** `GET /session`: the signed-in user, the session and the access token for the in-memory client. */
export const sessionRoute: RouteHandler = async (ctx, request) => json(await currentSessionPayload(ctx, { request }))

/** `GET /sessions`: the user's live sessions (device list), the current one marked. */
export const sessionsRoute: RouteHandler = async (ctx, request) =>
  json({ sessions: await listSessions(ctx, { request }) })

/** `DELETE /sessions/:id`: revokes one of the user's own sessions (404 for anyone else's). */
export const revokeSessionRoute: RouteHandler = async (ctx, request, route) => {
  guard(ctx, request, route)
  const { current, cookies } = await revokeSession(ctx, { request, sessionId: route.param })
  return json({ ok: true, current }, { cookies: route.transport === 'cookie' ? cookies : [] })
}

/** `GET /jwks`: the public signing keys (404 when tokens are HS256). */
export const jwksRoute: RouteHandler = async (ctx) =>
  json(await publicKeys(ctx), { headers: { 'cache-control': 'public, max-age=300' } })
