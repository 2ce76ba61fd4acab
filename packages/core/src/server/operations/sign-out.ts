import type { BatonContext } from '../context.js'
import { readCookie } from '../cookies/read-cookie.js'
import type { CookieInstruction } from '../cookies/set-cookie.js'
import { verifyRequest } from '../http/request-auth.js'

/**
 * Ends the request's session (by refresh cookie, else by its access token),
 * and with `everywhere` every session of the user. Returns how many sessions
 * were revoked, and the cookie deletions (always); an unknown or missing session is not an error. Only a live
 * session can sign its user out everywhere, and only with its valid access
 * token: a leftover or stale refresh cookie (a stolen copy, say) must not end
 * the user's other sessions.
 */
export async function signOut(
  ctx: BatonContext,
  input: { request: Request; everywhere?: boolean | undefined; refreshToken?: string | undefined },
): Promise<{ revoked: number; cookies: CookieInstruction[] }> {
  const { revoked, cookies } = await signOutWithGrant(ctx, input)
  return { revoked, cookies }
}

/** {@link signOut}, also returning what the token keeper ended for the request's own session (OIDC logout). */
export async function signOutWithGrant(
  ctx: BatonContext,
  input: { request: Request; everywhere?: boolean | undefined; refreshToken?: string | undefined },
): Promise<{ revoked: number; cookies: CookieInstruction[]; grant: unknown }> {
  const ended = await endSessions(ctx, input.request, input.everywhere === true, input.refreshToken)
  return { revoked: ended.count, grant: ended.grant, cookies: ctx.clearCookies() }
}

async function endSessions(
  ctx: BatonContext,
  request: Request,
  everywhere: boolean,
  bodyToken: string | undefined,
): Promise<{ count: number; grant: unknown }> {
  // A failed check means "no"; a framework's control flow goes on.
  const noUnlessControlFlow = (error: unknown): null => {
    ctx.rethrowControlFlow(error)
    return null
  }
  const refreshToken = bodyToken ?? readCookie(request.headers.get('cookie'), ctx.names.refresh)
  let ended = refreshToken ? await ctx.engine.signOut({ refreshToken }) : null
  if (!ended) {
    const auth = await verifyRequest(ctx, request).catch(noUnlessControlFlow)
    if (auth) ended = await ctx.engine.signOut({ sessionId: auth.sessionId })
  }
  if (!ended) return { count: 0, grant: null }
  // Upstream mode: the Baton session is already ended; now the upstream one (best effort, bounded).
  const grant = (await ctx.keeper?.endSession(ended.id)) ?? null
  const now = ctx.engine.options.clock.now()
  if (ended.revokedAt !== null || now >= ended.expiresAt || now >= ended.absoluteExpiresAt) return { count: 0, grant }
  if (!everywhere) return { count: 1, grant }
  const auth = await verifyRequest(ctx, request).catch(noUnlessControlFlow)
  if (!auth || auth.sessionId !== ended.id) return { count: 1, grant }
  const others = ctx.keeper ? await ctx.engine.listSessions({ subject: ended.subject }) : []
  const count = await ctx.engine.revokeAllSessions({ subject: ended.subject, exceptSessionId: ended.id })
  await Promise.all(others.filter((s) => s.id !== ended.id).map((s) => ctx.keeper?.endSession(s.id)))
  return { count: 1 + count, grant }
}
