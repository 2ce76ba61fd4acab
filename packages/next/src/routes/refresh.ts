import { RefreshTokenMissingError } from '@baton/core'
import { toSessionInfo } from '@baton/core/internal'
import type { BatonContext } from '../context.js'
import { readCookie } from '../cookies/read-cookie.js'
import { clearedCookies } from '../cookies/set-cookie.js'
import { assertSameOrigin } from '../http/request-guard.js'
import { errorResponse, json } from '../http/responses.js'
import { rethrowNextSignal } from '../server/next-signals.js'
import { isTerminal } from './terminal-errors.js'

/**
 * `POST /refresh`: rotates the refresh cookie. A terminal failure clears the
 * cookies; a store outage (503) keeps them, so nobody is signed out by it.
 */
export async function refresh(ctx: BatonContext, request: Request): Promise<Response> {
  assertSameOrigin(request, ctx.options)
  const refreshToken = readCookie(request.headers.get('cookie'), ctx.names.refresh)
  try {
    if (!refreshToken) throw new RefreshTokenMissingError('No refresh cookie: sign in.')
    const issued = await ctx.engine.refresh({ refreshToken, meta: ctx.meta(request) })
    return json(
      {
        user: issued.session.user,
        accessToken: issued.accessToken,
        accessTokenExpiresAt: issued.accessTokenExpiresAt,
        session: toSessionInfo(issued.session, issued.session.id),
      },
      { cookies: ctx.cookiesFor(issued) },
    )
  } catch (error) {
    rethrowNextSignal(error)
    return errorResponse(error, { cookies: isTerminal(error) ? clearedCookies(ctx.names, ctx.options.cookies) : [] })
  }
}
