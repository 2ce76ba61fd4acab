import {
  cookieNames,
  MAX_REFRESH_LEEWAY,
  matcher,
  resolveCookieSettings,
  resolvePublicOrigin,
} from '@baton/core/server/edge'
import {
  type AccessTokenPolicy,
  BatonError,
  type BatonErrorCode,
  ConfigError,
  deriveSecret,
  hmacKeySet,
  type KeyedJwk,
  type KeySet,
  publicKeySet,
  RefreshRouteUnavailableError,
  STATUS_BY_CODE,
  seconds,
  verifyAccessToken,
} from '@baton/core/verify'
import type { NextRequest } from 'next/server.js'
import { resolveDevtools } from '../proxy/proxy-report.js'
import { type ProxyRefresh, runProxy } from '../proxy/run-proxy.js'
import type { BatonSharedConfig } from '../shared-config.js'
import { foreignCookieWarning } from './cookie-agreement.js'

/**
 * Options of {@link createEdgeProxy}: the verification half of `createBaton`'s
 * options. Pass it the same {@link BatonSharedConfig} object as `createBaton`.
 */
export interface EdgeProxyOptions extends BatonSharedConfig {
  /** The public JWKs (EdDSA/ES256 tokens); no private key reaches the Edge. */
  publicKeys?: readonly KeyedJwk[]
}

const SET_COOKIE_NAME = /^([^=;\s]+)=([^;]*)/

/**
 * A proxy for the Edge runtime (Next 15 `middleware.ts`), where the session
 * store is out of reach: it verifies access tokens with jose, and refreshes by
 * calling the app's own refresh route, forwarding the cookies it sets to the
 * browser and to the request that continues to the page.
 */
export function createEdgeProxy(options: EdgeProxyOptions): (request: NextRequest) => Promise<Response> {
  if (!options.secret && !options.publicKeys?.length)
    throw new ConfigError('createEdgeProxy needs `secret` (HS256) or `publicKeys`.')
  const issuer = options.issuer ?? 'baton'
  const policy: AccessTokenPolicy = {
    issuer,
    audience: options.audience ?? issuer,
    // Seconds, as `createBaton` reads it (same bounds, same refusals).
    clockTolerance: seconds('clockTolerance', options.clockTolerance, 5, { max: 600 }) / 1000,
  }
  // At most a third of each token's lifetime (runProxy), as in the Node proxy.
  const leewayMs = seconds('refreshLeeway', options.refreshLeeway, 60, { max: MAX_REFRESH_LEEWAY })
  const settings = resolveCookieSettings(options.cookies)
  const names = cookieNames(settings)
  const basePath = options.basePath ?? '/api/auth'
  const isPublic = matcher(options.paths?.public, [])
  const isProtected = matcher(options.paths?.protected, [])
  const signInPath = options.paths?.signIn ?? '/login'
  const trustProxy = options.trustProxy ?? 0
  if (!Number.isFinite(trustProxy) || trustProxy < 0) throw new ConfigError('`trustProxy` must be a number ≥ 0.')
  const origin = { publicOrigin: resolvePublicOrigin(options.publicOrigin), trustProxy: Math.floor(trustProxy) }
  const warnIfForeign = foreignCookieWarning(settings)
  const devtools = resolveDevtools(options.devtools)
  let keys: Promise<KeySet> | undefined
  const keySet = () => {
    const secrets = typeof options.secret === 'string' ? [options.secret] : [...(options.secret ?? [])]
    keys ??= options.publicKeys?.length
      ? publicKeySet(options.publicKeys)
      : Promise.all(secrets.map(deriveSecret)).then(hmacKeySet)
    return keys
  }

  /**
   * Calls the refresh route at `nextUrl`'s origin: the address this server
   * listens on (`next start`) or the platform's own URL, never a request
   * header, so a forged `Host` cannot point the call (and the refresh
   * cookie) elsewhere. `Origin` matches the `Host` that call carries.
   */
  async function refresh(request: NextRequest, refreshToken: string): Promise<ProxyRefresh> {
    const headers = new Headers({ cookie: `${names.refresh}=${refreshToken}`, origin: request.nextUrl.origin })
    for (const name of ['user-agent', 'x-forwarded-for', 'x-real-ip']) {
      const value = request.headers.get(name)
      if (value) headers.set(name, value)
    }
    let response: Response
    try {
      response = await fetch(new URL(`${basePath}/refresh`, request.nextUrl.origin), {
        method: 'POST',
        headers,
        cache: 'no-store',
      })
    } catch (cause) {
      throw new RefreshRouteUnavailableError('The refresh route is unreachable.', { cause })
    }
    if (!response.ok) {
      const body = (await response.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null
      const code = body?.error?.code
      if (typeof code === 'string' && Object.hasOwn(STATUS_BY_CODE, code)) {
        const message = typeof body?.error?.message === 'string' ? body.error.message : 'Refresh failed.'
        // The route's own code, whichever it is, with the status it answered.
        throw new BatonError(code as BatonErrorCode, message, { status: response.status })
      }
      // Not Baton's answer (a gateway page, a newer code): "try again", never "signed out".
      throw new RefreshRouteUnavailableError(`The refresh route answered ${response.status}.`)
    }
    // The body (JSON tokens) is not needed: release the connection.
    await response.body?.cancel().catch(() => undefined)
    const setCookies = response.headers.getSetCookie()
    const values = new Map(
      setCookies.map((c) => SET_COOKIE_NAME.exec(c)).flatMap((m) => (m ? [[m[1], m[2]] as const] : [])),
    )
    const accessToken = values.get(names.access)
    const rotated = values.get(names.refresh)
    if (!accessToken || !rotated) throw new RefreshRouteUnavailableError('The refresh route set no cookies.')
    return { setCookies, accessToken, refreshToken: rotated }
  }

  return (request) => {
    warnIfForeign(request)
    return runProxy(request, {
      basePath,
      isProtected: (p) => isProtected(p) && !isPublic(p) && p !== signInPath,
      isApi: matcher(options.paths?.api, ['/api']),
      signInPath,
      leewayMs,
      cookies: settings,
      names,
      origin,
      now: () => Date.now(),
      async verify(token) {
        const claims = await verifyAccessToken(await keySet(), policy, token, Date.now())
        return { expiresAt: claims.exp * 1000, issuedAt: claims.iat * 1000 }
      },
      refresh,
      devtools,
    })
  }
}
