import { RefreshTokenMissingError } from '../../index.js'
import { toSessionInfo } from '../../internal.js'
import type { BatonContext } from '../context.js'
import { readCookie } from '../cookies/read-cookie.js'
import { type IssuedTokens, issuedTokens } from './results.js'

/**
 * Rotates the request's refresh token (its refresh cookie, or `refreshToken`
 * when the transport carries it otherwise). Throws on failure: `cookiesAfter`
 * says whether the failure ends the session (clear the cookies) or is an
 * outage (keep them, nobody is signed out by it).
 */
export async function refresh(
  ctx: BatonContext,
  input: { request: Request; refreshToken?: string | undefined },
): Promise<IssuedTokens> {
  const refreshToken = input.refreshToken ?? readCookie(input.request.headers.get('cookie'), ctx.names.refresh)
  if (!refreshToken) throw new RefreshTokenMissingError('No refresh cookie: sign in.')
  const issued = await ctx.engine.refresh({ refreshToken, meta: ctx.meta(input.request) })
  return issuedTokens(
    issued,
    issued.session.user,
    toSessionInfo(issued.session, issued.session.id),
    ctx.cookiesFor(issued),
  )
}
