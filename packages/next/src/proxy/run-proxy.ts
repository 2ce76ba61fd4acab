import {
  type CookieNames,
  type CookieSettings,
  clearedCookies,
  errorResponse,
  isTerminal,
  type OriginSettings,
  publicOriginOf,
  readCookie,
  rewriteCookieHeader,
  toSetCookie,
} from '@baton/core/server/edge'
import {
  AccessTokenInvalidError,
  effectiveLeeway,
  InternalError,
  isBatonError,
  UnauthenticatedError,
} from '@baton/core/verify'
import { type NextRequest, NextResponse } from 'next/server.js'
import { type ProxyOutcome, reasonOf, reportOutcome } from './proxy-report.js'

/** New tokens from a refresh, as cookies for the browser and values for the forwarded request. */
export interface ProxyRefresh {
  setCookies: string[]
  accessToken: string
  refreshToken: string
}

/** When a verified access token was issued and expires (ms since the epoch). */
export interface VerifiedTimes {
  expiresAt: number
  issuedAt: number
}

/** What differs between the Node proxy (store in reach) and the Edge one (calls the refresh route). */
export interface ProxyDeps {
  basePath: string
  isProtected(pathname: string): boolean
  isApi(pathname: string): boolean
  signInPath: string
  /**
   * Refresh when the access token expires within this many ms; never more
   * than a third of the token's own lifetime, so short-lived tokens are not
   * refreshed on every request.
   */
  leewayMs: number
  cookies: CookieSettings
  names: CookieNames
  /** How the sign-in redirect learns the browser's origin (not from `nextUrl`: see `publicOriginOf`). */
  origin: OriginSettings
  now(): number
  /** Verifies an access token; resolves to its expiry and issue time (ms). */
  verify(token: string): Promise<VerifiedTimes>
  refresh(request: NextRequest, refreshToken: string): Promise<ProxyRefresh>
  /** Report what the proxy did (`Server-Timing`, and a cookie on redirects) for Baton's dev tools. */
  devtools: boolean
}

/**
 * The proxy (Next 16 `proxy.ts`, Next 15 `middleware.ts`). On a protected
 * path it lets a request through with a valid access cookie; when the cookie
 * is missing, expired or within `leewayMs` of expiry and a refresh cookie is
 * present, it rotates in place and sets the new cookies on the response *and
 * on the request forwarded to the page*, so server components, route handlers
 * and server actions of this same request already see the new session. It
 * adds no header that downstream code trusts: pages verify for themselves.
 * With `devtools`, every response also says what the proxy did and why
 * (`Server-Timing: baton;…`, see `proxy-report.ts`); without, none does.
 */
export async function runProxy(request: NextRequest, deps: ProxyDeps): Promise<Response> {
  if (!deps.devtools) return (await decide(request, deps)).response
  const started = performance.now()
  const outcome = await decide(request, deps)
  return reportOutcome(outcome, {
    durationMs: performance.now() - started,
    pathname: request.nextUrl.pathname,
    at: deps.now(),
    secure: deps.cookies.secure,
  })
}

/** The proxy's answer, and what it did and why (see `ProxyAction`). */
async function decide(request: NextRequest, deps: ProxyDeps): Promise<ProxyOutcome> {
  // A CORS preflight carries no credentials by design: answering it 401 would block every
  // cross-origin Bearer call. Let it through untouched to whatever CORS the app answers with.
  if (isPreflight(request)) return passed('preflight')
  const { pathname } = request.nextUrl
  if (pathname === deps.basePath || pathname.startsWith(`${deps.basePath}/`)) return passed('auth-route')
  if (!deps.isProtected(pathname)) return passed('unprotected')
  const api = deps.isApi(pathname)
  const authorization = request.headers.get('authorization')
  if (api && authorization !== null && /^bearer(\s|$)/i.test(authorization)) return checkBearer(authorization, deps)

  const cookieHeader = request.headers.get('cookie')
  const access = readCookie(cookieHeader, deps.names.access)
  let refused: unknown = null
  const verified = access
    ? await deps.verify(access).catch((error: unknown) => {
        refused = error
        return null
      })
    : null
  const validUntil = verified?.expiresAt ?? null
  const usable = (token: VerifiedTimes) =>
    token.expiresAt - deps.now() > effectiveLeeway({ leeway: deps.leewayMs, ttl: token.expiresAt - token.issuedAt })
  if (verified && usable(verified)) return { response: NextResponse.next(), action: 'verified', reason: 'valid' }

  const refreshToken = readCookie(cookieHeader, deps.names.refresh)
  if (!refreshToken) {
    if (validUntil !== null) return { response: NextResponse.next(), action: 'kept', reason: 'missing-refresh' }
    return deny(request, api, new UnauthenticatedError(), deps, access !== undefined)
  }
  let fresh: ProxyRefresh
  try {
    fresh = await deps.refresh(request, refreshToken)
  } catch (error) {
    if (isTerminal(error)) return deny(request, api, error, deps, true)
    // The store or refresh route is unavailable: keep the cookies, serve what can be served.
    if (validUntil !== null) return { response: NextResponse.next(), action: 'kept', reason: reasonOf(error) }
    const unavailable = isBatonError(error) ? error : new InternalError('Try again shortly.', { cause: error })
    const response = api ? errorResponse(unavailable, { headers: { 'retry-after': '5' } }) : unavailablePage()
    return { response, action: 'unavailable', reason: unavailable.code }
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
  return { response, action: 'refreshed', reason: refreshReason(access, verified, refused) }
}

/** Passed on untouched: not the proxy's to check. */
function passed(reason: 'preflight' | 'auth-route' | 'unprotected'): ProxyOutcome {
  return { response: NextResponse.next(), action: 'passed', reason }
}

/** Why a refresh was needed: no access cookie, one near expiry, an expired one, or one refused otherwise. */
function refreshReason(access: string | undefined, verified: VerifiedTimes | null, refused: unknown): string {
  if (!access) return 'missing-access'
  if (verified) return 'expiring'
  return isBatonError(refused) && refused.code === 'ERR_ACCESS_TOKEN_EXPIRED' ? 'expired' : 'invalid-access'
}

/** An `OPTIONS` request with `Access-Control-Request-Method`: a browser's CORS preflight. */
export function isPreflight(request: Request): boolean {
  return request.method === 'OPTIONS' && request.headers.has('access-control-request-method')
}

async function checkBearer(authorization: string, deps: ProxyDeps): Promise<ProxyOutcome> {
  const match = /^Bearer[ ]+([A-Za-z0-9._~+/-]+=*)[ ]*$/i.exec(authorization)
  try {
    if (!match) throw new AccessTokenInvalidError('The Authorization header must be "Bearer <token>".')
    await deps.verify(match[1] as string)
    return { response: NextResponse.next(), action: 'bearer', reason: 'valid' }
  } catch (error) {
    return { response: errorResponse(error), action: 'denied', reason: reasonOf(error) }
  }
}

/** Pages go to the sign-in page with `?next=`; API paths get 401 JSON. Dead cookies are cleared. */
function deny(request: NextRequest, api: boolean, error: unknown, deps: ProxyDeps, clear: boolean): ProxyOutcome {
  const cookies = clear ? clearedCookies(deps.names, deps.cookies) : []
  // A 401 carries a challenge (RFC 9110 §15.5.2) whatever ended the session; missing credentials
  // and bad access tokens get errorResponse's own, more specific one.
  const challenge = { 'www-authenticate': 'Bearer realm="baton", error="invalid_token"' }
  if (api)
    return {
      response: errorResponse(error, { cookies, headers: challenge }),
      action: 'denied',
      reason: reasonOf(error),
    }
  let origin: string
  try {
    // Next 15 refuses relative redirects here, and its `nextUrl` names the listening address.
    origin = publicOriginOf(request, request.nextUrl, deps.origin)
  } catch (badHost) {
    return { response: errorResponse(badHost, { cookies }), action: 'denied', reason: reasonOf(badHost) }
  }
  const local = request.nextUrl.clone() // keeps Next's basePath and locale in the path
  local.pathname = deps.signInPath
  local.search = ''
  local.searchParams.set('next', `${request.nextUrl.pathname}${request.nextUrl.search}`)
  const { pathname, search } = new URL(local.href)
  const response = NextResponse.redirect(new URL(`${pathname}${search}`, origin), 307)
  for (const cookie of cookies) response.headers.append('set-cookie', toSetCookie(cookie))
  response.headers.set('cache-control', 'no-store')
  return { response, action: 'redirected', reason: reasonOf(error) }
}

/** A page navigation during an outage gets a small page that retries itself, not raw JSON. */
function unavailablePage(): Response {
  const html =
    '<!doctype html><meta charset="utf-8"><meta http-equiv="refresh" content="5"><title>Temporarily unavailable</title>' +
    '<p style="font:16px system-ui;margin:3rem auto;max-width:32rem">Sign-in is temporarily unavailable. ' +
    'You are still signed in; this page retries in a few seconds.</p>'
  return new Response(html, {
    status: 503,
    headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'retry-after': '5' },
  })
}
