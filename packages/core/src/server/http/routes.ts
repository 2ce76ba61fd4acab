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

// The auth routes over HTTP: each checks what the transport owes (CSRF, body
// shape) and answers JSON from one operation. No domain logic here.

/** A route: the request, and the `:id` path segment where the route has one. */
export type RouteHandler = (ctx: BatonContext, request: Request, param: string) => Promise<Response>

/** The JSON of a new token pair (the refresh token travels in its cookie only). */
function tokensBody({ user, accessToken, accessTokenExpiresAt, session }: IssuedTokens): SessionPayload {
  return { user, accessToken, accessTokenExpiresAt, session }
}

/** `POST /login` with JSON credentials. */
export const loginRoute: RouteHandler = async (ctx, request) => {
  assertSameOrigin(request, ctx.options)
  const issued = await signIn(ctx, { request, credentials: await readJsonBody(request, ctx.options) })
  return json(tokensBody(issued), { cookies: issued.cookies })
}

/** `POST /refresh`: a terminal failure deletes the cookies; an outage (503) keeps them. */
export const refreshRoute: RouteHandler = async (ctx, request) => {
  assertSameOrigin(request, ctx.options)
  try {
    const issued = await refresh(ctx, { request })
    return json(tokensBody(issued), { cookies: issued.cookies })
  } catch (error) {
    ctx.rethrowControlFlow(error)
    return errorResponse(error, { cookies: cookiesAfter(error, ctx.clearCookies) })
  }
}

/** `POST /logout` with an optional `{ "everywhere": true }`: always deletes the cookies. */
export const logoutRoute: RouteHandler = async (ctx, request) => {
  assertSameOrigin(request, ctx.options)
  const body = await readJsonBody(request, ctx.options, { optional: true })
  if (body.everywhere !== undefined && typeof body.everywhere !== 'boolean') {
    throw new BadRequestError('`everywhere` must be a boolean.')
  }
  const { revoked, cookies } = await signOut(ctx, { request, everywhere: body.everywhere === true })
  return json({ ok: true, revoked }, { cookies })
}

/** `GET /session`: the signed-in user, the session and the access token for the in-memory client. */
export const sessionRoute: RouteHandler = async (ctx, request) => json(await currentSessionPayload(ctx, { request }))

/** `GET /sessions`: the user's live sessions (device list), the current one marked. */
export const sessionsRoute: RouteHandler = async (ctx, request) =>
  json({ sessions: await listSessions(ctx, { request }) })

/** `DELETE /sessions/:id`: revokes one of the user's own sessions (404 for anyone else's). */
export const revokeSessionRoute: RouteHandler = async (ctx, request, id) => {
  assertSameOrigin(request, ctx.options)
  const { current, cookies } = await revokeSession(ctx, { request, sessionId: id })
  return json({ ok: true, current }, { cookies })
}

/** `GET /jwks`: the public signing keys (404 when tokens are HS256). */
export const jwksRoute: RouteHandler = async (ctx) =>
  json(await publicKeys(ctx), { headers: { 'cache-control': 'public, max-age=300' } })
