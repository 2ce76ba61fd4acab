import { createSessionEngine, type SessionEngine } from '@baton/core'
import type { Baton, BatonRouteHandlers } from './baton-api.js'
import { createContext } from './context.js'
import { createCorsHelpers } from './http/cors.js'
import { type BatonOptions, type ResolvedBatonOptions, resolveBatonOptions } from './options.js'
import { createPagesHelpers } from './pages/pages-helpers.js'
import { createNodeProxy } from './proxy/node-proxy.js'
import { createRouter } from './routes/router.js'
import { createActions } from './server/actions.js'
import { createServerHelpers } from './server/session.js'
import { createSessionUpdate } from './server/update-session.js'
import { createUpstream } from './upstream/create-upstream.js'

/**
 * Creates Baton for a Next.js app: one object holding the route handlers, the
 * proxy, the server helpers and actions, all sharing one session engine.
 * Options are validated here, at startup.
 *
 * ```ts
 * // lib/baton.ts
 * export const baton = createBaton({ store, secret: process.env.BATON_SECRET!, authenticate })
 * // app/api/auth/[...baton]/route.ts
 * export const { GET, POST, DELETE, PUT, PATCH } = baton.handlers
 * // proxy.ts
 * export const proxy = baton.proxy
 * ```
 */
export function createBaton(options: BatonOptions): Baton {
  const resolved: ResolvedBatonOptions = resolveBatonOptions(options)
  // The engine reads only its own options from the object.
  const engine: SessionEngine = createSessionEngine({ ...options, issuer: options.issuer ?? 'baton' })
  const upstream = createUpstream(engine, options.secret, options.upstream)
  const ctx = createContext(engine, resolved, options.authenticate, upstream.bridge)
  const route = createRouter(ctx)
  const handlers: BatonRouteHandlers = {
    GET: route,
    POST: route,
    DELETE: route,
    PUT: route,
    PATCH: route,
    OPTIONS: route,
  }
  return {
    engine,
    options: resolved,
    cookieNames: ctx.names,
    handlers,
    proxy: createNodeProxy(ctx),
    ...createServerHelpers(ctx),
    ...createSessionUpdate(ctx),
    actions: createActions(ctx),
    ...createCorsHelpers(resolved.cors),
    pages: createPagesHelpers(ctx, route),
    upstream: upstream.api,
  }
}

export type { Baton } from './baton-api.js'
