import { AccessTokenInvalidError, UnauthenticatedError, type VerifiedAccessToken } from '../../index.js'
import type { BatonContext } from '../context.js'
import { readCookie } from '../cookies/read-cookie.js'

/** Where a request's access token came from. */
export type TokenSource = 'bearer' | 'cookie'

/**
 * The access token a request carries: a Bearer header first, else the access
 * cookie. Other Authorization schemes (say Basic auth in front of a staging
 * site) are not Baton's and fall through to the cookie.
 */
export function requestToken(
  ctx: BatonContext,
  request: { headers: Headers },
): { token: string; source: TokenSource } | null {
  const authorization = request.headers.get('authorization')
  if (authorization !== null && /^bearer(\s|$)/i.test(authorization)) {
    const match = /^Bearer[ ]+([A-Za-z0-9._~+/-]+=*)[ ]*$/i.exec(authorization)
    if (!match) throw new AccessTokenInvalidError('The Authorization header must be "Bearer <token>".')
    return { token: match[1] as string, source: 'bearer' }
  }
  const cookie = readCookie(request.headers.get('cookie'), ctx.names.access)
  return cookie ? { token: cookie, source: 'cookie' } : null
}

/**
 * Verifies the request's own access token (never a header set upstream).
 * @throws BatonError `ERR_UNAUTHENTICATED`, `ERR_ACCESS_TOKEN_EXPIRED`,
 *   `ERR_ACCESS_TOKEN_INVALID`, or with `strict` `ERR_SESSION_REVOKED`/`ERR_SESSION_EXPIRED`
 */
export async function verifyRequest(
  ctx: BatonContext,
  request: { headers: Headers },
  { strict = false } = {},
): Promise<VerifiedAccessToken & { token: string; source: TokenSource }> {
  const found = requestToken(ctx, request)
  if (!found) throw new UnauthenticatedError()
  const verified = await ctx.engine.verifyAccessToken(found.token, { strict })
  return { ...verified, ...found }
}
