import { BatonError, isBatonError } from '@baton/core'
import { type NextRequest, NextResponse } from 'next/server'
import type { CookieNames, CookieSettings } from '../cookies/cookie-settings.js'
import { readCookie, rewriteCookieHeader } from '../cookies/read-cookie.js'
import { clearedCookies } from '../cookies/set-cookie.js'
import { errorResponse } from '../http/responses.js'
import { isTerminal } from '../routes/refresh.js'

/** New tokens from a refresh, as cookies for the browser and values for the forwarded request. */
export interface ProxyRefresh {
  setCookies: string[]
  accessToken: string
  refreshToken: string
}

/** What differs between the Node proxy (store in reach) and the Edge one (calls the refresh route). */
export interface ProxyDeps {
  basePath: string
  isProtected(pathname: string): boolean
  isApi(pathname: string): boolean
  signInPath: string
  /** Refresh when the access token expires within this many ms. */
  leewayMs: number
  cookies: CookieSettings
  names: CookieNames
  now(): number
  /** Verifies an access token; resolves to its expiry (ms). */
  verify(token: string): Promise<number>
  refresh(request: NextRequest, refreshToken: string): Promise<ProxyRefresh>
}

/**
 * The proxy (Next 16 `proxy.ts`, Next 15 `middleware.ts`). On a protected
 * path it lets a request through with a valid access cookie; when the cookie
 * is missing, expired or within `leewayMs` of expiry and a refresh cookie is
 * present, it rotates in place and sets the new cookies on the response *and
 * on the request forwarded to the page*, so server components, route handlers
 * and server actions of this same request already see the new session. It
 * adds no header that downstream code trusts: pages verify for themselves.
 */
export async function runProxy(request: NextRequest, deps: ProxyDeps): Promise<Response> {
  const { pathname } = request.nextUrl
  if (pathname === deps.basePath || pathname.startsWith(`${deps.basePath}/`) || !deps.isProtected(pathname)) {
    return NextResponse.next()
  }
  const api = deps.isApi(pathname)
  const authorization = request.headers.get('authorization')
  if (api && authorization !== null) return checkBearer(authorization, deps)

  const cookieHeader = request.headers.get('cookie')
  const access = readCookie(cookieHeader, deps.names.access)
  let validUntil: number | null = null
  if (access) validUntil = await deps.verify(access).catch(() => null)
  if (validUntil !== null && validUntil - deps.now() > deps.leewayMs) return NextResponse.next()

  const refreshToken = readCookie(cookieHeader, deps.names.refresh)
  if (!refreshToken) {
    if (validUntil !== null) return NextResponse.next()
    return deny(request, api, new BatonError('ERR_UNAUTHENTICATED', 'Sign in to continue.'), deps, access !== undefined)
  }
  let fresh: ProxyRefresh
  try {
    fresh = await deps.refresh(request, refreshToken)
  } catch (error) {
    if (isTerminal(error)) return deny(request, api, error, deps, true)
    // The store or refresh route is unavailable: keep the cookies, serve what can be served.
    if (validUntil !== null) return NextResponse.next()
    return errorResponse(isBatonError(error) ? error : new BatonError('ERR_STORE_UNAVAILABLE', 'Try again shortly.'))
  }
  const headers = new Headers(request.headers)
  headers.set(
    'cookie',
    rewriteCookieHeader(cookieHeader, {
      [deps.names.access]: fresh.accessToken,
      [deps.names.refresh]: fresh.refreshToken,
    }),
  )
  const response = NextResponse.next({ request: { headers } })
  for (const cookie of fresh.setCookies) response.headers.append('set-cookie', cookie)
  response.headers.set('cache-control', 'private, no-store')
  return response
}

async function checkBearer(authorization: string, deps: ProxyDeps): Promise<Response> {
  const match = /^Bearer[ ]+([A-Za-z0-9._~+/-]+=*)[ ]*$/i.exec(authorization)
  try {
    if (!match) throw new BatonError('ERR_ACCESS_TOKEN_INVALID', 'The Authorization header must be "Bearer <token>".')
    await deps.verify(match[1] as string)
    return NextResponse.next()
  } catch (error) {
    return errorResponse(error)
  }
}

/** Pages go to the sign-in page with `?next=`; API paths get 401 JSON. Dead cookies are cleared. */
function deny(request: NextRequest, api: boolean, error: unknown, deps: ProxyDeps, clear: boolean): Response {
  const cookies = clear ? clearedCookies(deps.names, deps.cookies) : []
  if (api) return errorResponse(error, { cookies })
  const target = request.nextUrl.clone()
  target.pathname = deps.signInPath
  target.search = ''
  target.searchParams.set('next', `${request.nextUrl.pathname}${request.nextUrl.search}`)
  const response = NextResponse.redirect(target, 307)
  for (const cookie of cookies) response.headers.append('set-cookie', cookie)
  response.headers.set('cache-control', 'no-store')
  return response
}
