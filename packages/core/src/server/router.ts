import { MethodNotAllowedError, NotFoundError } from '../index.js'
import type { BatonContext } from './context.js'
import { preflightResponse, withCors } from './http/cors.js'
import { errorResponse } from './http/responses.js'
import {
  type RouteHandler as Handler,
  jwksRoute,
  loginRoute,
  logoutRoute,
  refreshRoute,
  revokeSessionRoute,
  sessionRoute,
  sessionsRoute,
} from './http/routes.js'
import { transportOf } from './http/transport.js'
import { oidcBackchannelLogoutRoute, oidcCallbackRoute, oidcSignInRoute, oidcSignOutRoute } from './oidc/oidc-routes.js'

/** The routes under the base path: name → method → handler. */
const ROUTES: Record<string, Record<string, Handler>> = {
  login: { POST: loginRoute },
  refresh: { POST: refreshRoute },
  logout: { POST: logoutRoute },
  session: { GET: sessionRoute },
  sessions: { GET: sessionsRoute },
  'sessions/:id': { DELETE: revokeSessionRoute },
  'signin/:id': { GET: oidcSignInRoute },
  'callback/:id': { GET: oidcCallbackRoute },
  'signout/:id': { POST: oidcSignOutRoute },
  'backchannel-logout/:id': { POST: oidcBackchannelLogoutRoute },
  jwks: { GET: jwksRoute },
}

function match(ctx: BatonContext, request: Request): { routes: Record<string, Handler>; param: string } | null {
  const { pathname } = new URL(request.url)
  const base = ctx.options.basePath
  if (!pathname.startsWith(`${base}/`)) return null
  const parts = pathname.slice(base.length + 1).split('/')
  if (parts.length === 1) {
    const routes = ROUTES[parts[0] as string]
    return routes && Object.hasOwn(ROUTES, parts[0] as string) ? { routes, param: '' } : null
  }
  const routes = parts.length === 2 && parts[1] ? ROUTES[`${parts[0]}/:id`] : undefined
  if (routes && Object.hasOwn(ROUTES, `${parts[0]}/:id`)) return { routes, param: decodeSegment(parts[1] as string) }
  return null
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment)
  } catch {
    return ''
  }
}

/**
 * One handler for every method of the catch-all route. Unknown paths answer
 * 404, known paths with another method 405 with `Allow`, and no error a
 * client can cause becomes a 500. With `cors`, every answer carries the CORS
 * headers (`Vary: Origin`; the origin and credentials when it is listed).
 */
export function createRouter(ctx: BatonContext): (request: Request) => Promise<Response> {
  const { cors } = ctx.options
  const route = async (request: Request): Promise<Response> => {
    try {
      const found = match(ctx, request)
      if (!found) throw new NotFoundError('No such auth route.')
      // With `cors` configured, OPTIONS is a preflight: 204, allow headers only for a listed origin.
      if (cors && request.method === 'OPTIONS')
        return preflightResponse(cors, request, Object.keys(found.routes).join(', '))
      const handler = Object.hasOwn(found.routes, request.method) ? found.routes[request.method] : undefined
      if (!handler) {
        const allow = Object.keys(found.routes).join(', ')
        return errorResponse(new MethodNotAllowedError(`Use ${allow}.`), { headers: { allow } })
      }
      return await handler(ctx, request, { param: found.param, transport: transportOf(ctx, request) })
    } catch (error) {
      // The framework's control flow (Next's prerender bail-out at build, `redirect()` in `authenticate`) is not an error.
      ctx.rethrowControlFlow(error)
      return errorResponse(error)
    }
  }
  return cors ? async (request) => withCors(cors, request, await route(request)) : route
}
