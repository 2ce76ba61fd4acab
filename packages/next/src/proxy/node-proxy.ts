import type { AuthServer } from '@baton/core/server'
import { toSetCookie, withCors } from '@baton/core/server/edge'
import type { NextRequest } from 'next/server.js'
import { runProxy } from './run-proxy.js'

/** What the Next binding adds to the server's options for its proxy. */
export interface NodeProxyOptions {
  /** Report what the proxy did, for Baton's dev tools (resolved: see `resolveDevtools`). */
  devtools: boolean
}

/**
 * The proxy for Next 16 `proxy.ts` (Node runtime), with the store in reach:
 * verification and rotation happen in-process.
 *
 * ```ts
 * // proxy.ts
 * export const proxy = baton.proxy
 * export const config = { matcher: ['/dashboard/:path*', '/devices/:path*', '/api/me'] }
 * ```
 */
export function createNodeProxy(
  server: AuthServer,
  proxyOptions: NodeProxyOptions,
): (request: NextRequest) => Promise<Response> {
  const { engine, options, cookieNames: names } = server
  // Never refresh on every request: `effectiveLeeway`, the one rule (at most a third of a token's
  // lifetime), is applied per token in runProxy, as in the Edge proxy and the client.
  const leewayMs = options.refreshLeewayMs
  const deps = {
    basePath: options.basePath,
    isProtected: options.isProtected,
    isApi: options.isApi,
    signInPath: options.signInPath,
    leewayMs,
    cookies: options.cookies,
    names,
    origin: { publicOrigin: options.publicOrigin, trustProxy: options.trustProxy },
    now: () => engine.options.clock.now(),
    async verify(token: string) {
      const verified = await engine.verifyAccessToken(token)
      return { expiresAt: verified.expiresAt, issuedAt: Number(verified.claims.iat) * 1000 }
    },
    async refresh(request: NextRequest, refreshToken: string) {
      const issued = await server.refresh({ request, refreshToken })
      return {
        setCookies: issued.cookies.map(toSetCookie),
        accessToken: issued.accessToken,
        refreshToken: issued.refreshToken,
      }
    },
    devtools: proxyOptions.devtools,
  }
  return async (request) => {
    const response = await runProxy(request, deps)
    // The proxy's own answers (a 401 on an API path) need CORS headers for a listed origin to read
    // them; a request passed on gets them from the route (`baton.cors`), never twice.
    const passedOn = response.headers.has('x-middleware-next') || response.headers.has('x-middleware-rewrite')
    return passedOn ? response : withCors(options.cors, request, response)
  }
}
