import { BadRequestError } from '@baton/core'
import type { BatonContext } from '../context.js'
import { readCookie } from '../cookies/read-cookie.js'
import { clearedCookies } from '../cookies/set-cookie.js'
import { verifyRequest } from '../http/request-auth.js'
import { assertSameOrigin, readJsonBody } from '../http/request-guard.js'
import { json } from '../http/responses.js'
import { nullUnlessNextSignal } from '../server/next-signals.js'

/**
 * Ends the request's session (by refresh cookie, else by its access token),
 * and with `everywhere` every session of the user. Returns how many sessions
 * were revoked; an unknown or missing session is not an error. Only a live
 * session can sign its user out everywhere, and only with its valid access
 * token: a leftover or stale refresh cookie (a stolen copy, say) must not end
 * the user's other sessions.
 */
export async function signOutRequest(ctx: BatonContext, request: Request, everywhere: boolean): Promise<number> {
  const refreshToken = readCookie(request.headers.get('cookie'), ctx.names.refresh)
  let ended = refreshToken ? await ctx.engine.signOut({ refreshToken }) : null
  if (!ended) {
    const auth = await verifyRequest(ctx, request).catch(nullUnlessNextSignal)
    if (auth) ended = await ctx.engine.signOut({ sessionId: auth.sessionId })
  }
  if (!ended) return 0
  // Upstream mode: the Baton session is already ended; now the upstream one (best effort, bounded).
  await ctx.upstream?.endSession(ended.id)
  const now = ctx.engine.options.clock.now()
  if (ended.revokedAt !== null || now >= ended.expiresAt || now >= ended.absoluteExpiresAt) return 0
  if (!everywhere) return 1
  const auth = await verifyRequest(ctx, request).catch(nullUnlessNextSignal)
  if (!auth || auth.sessionId !== ended.id) return 1
  const others = ctx.upstream ? await ctx.engine.listSessions({ subject: ended.subject }) : []
  const count = await ctx.engine.revokeAllSessions({ subject: ended.subject, exceptSessionId: ended.id })
  await Promise.all(others.filter((s) => s.id !== ended.id).map((s) => ctx.upstream?.endSession(s.id)))
  return 1 + count
}

/** `POST /logout` with an optional `{ "everywhere": true }`: always clears the cookies. */
export async function logout(ctx: BatonContext, request: Request): Promise<Response> {
  assertSameOrigin(request, ctx.options)
  const body = await readJsonBody(request, ctx.options, { optional: true })
  if (body.everywhere !== undefined && typeof body.everywhere !== 'boolean') {
    throw new BadRequestError('`everywhere` must be a boolean.')
  }
  const revoked = await signOutRequest(ctx, request, body.everywhere === true)
  return json({ ok: true, revoked }, { cookies: clearedCookies(ctx.names, ctx.options.cookies) })
}
