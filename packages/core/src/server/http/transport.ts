import { BadRequestError, TransportRefusedError } from '../../verify.js'
import type { BatonContext } from '../context.js'
import { readCookie } from '../cookies/read-cookie.js'

/**
 * How a request carries its tokens: `cookie` (browsers: HttpOnly cookies, the
 * default) or `token` (native apps and CLIs: the refresh token in the JSON
 * body, the access token as `Authorization: Bearer`, no cookies at all).
 */
export type Transport = 'cookie' | 'token'

/** The request header that asks for the token transport: `X-Baton-Transport: token`. */
export const TRANSPORT_HEADER = 'x-baton-transport'

/**
 * The request's transport. The token transport is opt-in per app
 * (`tokenTransport: true`) and never mixed with Baton's cookies: a page that
 * could send the cookies must not get the refresh token into script by
 * asking for it.
 */
export function transportOf(ctx: BatonContext, request: Request): Transport {
  const asked = request.headers.get(TRANSPORT_HEADER)
  if (asked === null) return 'cookie'
  if (asked.trim().toLowerCase() !== 'token') {
    throw new TransportRefusedError(`Unknown transport "${asked.slice(0, 32)}": the only one is "token".`)
  }
  if (!ctx.options.tokenTransport) {
    throw new TransportRefusedError(
      'This app does not accept the token transport: turn it on with `tokenTransport: true`.',
    )
  }
  const cookie = request.headers.get('cookie')
  if (readCookie(cookie, ctx.names.access) !== undefined || readCookie(cookie, ctx.names.refresh) !== undefined) {
    throw new TransportRefusedError(
      "A token-transport request must not carry Baton's cookies: send it without credentials.",
    )
  }
  return 'token'
}

/** The refresh token a token-transport body carries (`{ "refreshToken": "…" }`), or undefined when it has none. */
export function bodyRefreshToken(
  body: Record<string, unknown>,
  { required }: { required: boolean },
): string | undefined {
  const value = body.refreshToken
  if (value === undefined && !required) return undefined
  if (typeof value !== 'string' || value.length === 0 || value.length > 512) {
    throw new BadRequestError('Send `refreshToken`: a string of at most 512 characters.')
  }
  return value
}
