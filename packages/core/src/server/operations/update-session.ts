import type { UpdatedSession } from '../../index.js'
import { assertCookieSized, type BatonContext } from '../context.js'
import { type CookieInstruction, cookieToSet } from '../cookies/set-cookie.js'
import type { BatonSession } from './results.js'
import { sessionOrNull } from './session.js'
import { isTerminal } from './terminal-errors.js'

/**
 * Re-issues the request's access token with `claims` computed afresh (a role
 * changed), without signing in again. The refresh token stays valid; the
 * user's other sessions pick the change up at their next refresh. When the
 * token came as a cookie, the new one is in `cookies`; when it came as
 * `Authorization: Bearer`, the caller hands `session.accessToken` on. Null
 * when signed out: no valid access token, or a session revoked or expired
 * since (then, for a cookie, the cookie deletions).
 */
export async function updateSession(
  ctx: BatonContext,
  input: { request: { headers: Headers } },
): Promise<{ session: BatonSession | null; cookies: CookieInstruction[] }> {
  const current = await sessionOrNull(ctx, input)
  if (!current) return { session: null, cookies: [] }
  let updated: UpdatedSession
  try {
    updated = await ctx.engine.updateSession({ sessionId: current.sessionId })
  } catch (error) {
    if (!isTerminal(error)) throw error
    return { session: null, cookies: current.source === 'cookie' ? ctx.clearCookies() : [] }
  }
  const verified = await ctx.engine.verifyAccessToken(updated.accessToken)
  const cookies: CookieInstruction[] = []
  if (current.source === 'cookie') {
    assertCookieSized(updated.accessToken)
    const now = ctx.engine.options.clock.now()
    cookies.push(
      cookieToSet(ctx.names.access, updated.accessToken, updated.accessTokenExpiresAt, now, ctx.options.cookies),
    )
  }
  const session: BatonSession = {
    user: verified.user,
    subject: verified.subject,
    sessionId: verified.sessionId,
    expiresAt: verified.expiresAt,
    accessToken: updated.accessToken,
    claims: verified.claims,
  }
  return { session, cookies }
}
