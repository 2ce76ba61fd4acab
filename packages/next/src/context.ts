import { ConfigError, type IssuedSession, type RequestMeta, type SessionEngine } from '@baton/core'
import { type CookieNames, cookieNames } from './cookies/cookie-settings.js'
import { sessionCookies } from './cookies/set-cookie.js'
import { clientIp } from './http/client-ip.js'
import type { BatonOptions, ResolvedBatonOptions } from './options.js'
import type { UpstreamBridge } from './upstream/create-upstream.js'

/** Longest access token Baton sets as a cookie; browsers drop cookies over ~4 KB silently. */
export const MAX_COOKIE_TOKEN_LENGTH = 3800

/** Everything the route handlers, proxy and helpers share. */
export interface BatonContext {
  engine: SessionEngine
  options: ResolvedBatonOptions
  authenticate: BatonOptions['authenticate']
  /** Upstream mode's sign-in forwarding and token keeping; undefined in local mode. */
  upstream: UpstreamBridge | undefined
  names: CookieNames
  /** Request metadata recorded on sessions. */
  meta(request: Request): RequestMeta
  /** `Set-Cookie` values for an issued session; refuses tokens too big for a cookie. */
  cookiesFor(issued: IssuedSession): string[]
}

/** Builds the shared context. */
export function createContext(
  engine: SessionEngine,
  options: ResolvedBatonOptions,
  authenticate: BatonOptions['authenticate'],
  upstream?: UpstreamBridge,
): BatonContext {
  const names = cookieNames(options.cookies)
  return {
    engine,
    options,
    authenticate,
    upstream,
    names,
    meta: (request) => ({
      userAgent: request.headers.get('user-agent')?.slice(0, 512) ?? null,
      ip: clientIp(request, options),
    }),
    cookiesFor(issued) {
      if (issued.accessToken.length > MAX_COOKIE_TOKEN_LENGTH) {
        throw new ConfigError(
          `The access token is ${issued.accessToken.length} bytes, too large for a cookie: keep the user snapshot small or trim it with \`claims\`.`,
        )
      }
      return sessionCookies(names, issued, engine.options.clock.now(), options.cookies)
    },
  }
}
