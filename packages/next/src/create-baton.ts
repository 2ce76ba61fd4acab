import { createAuthServer, createCorsHelpers } from '@baton/core/server'
import type { Baton, BatonRouteHandlers } from './baton-api.js'
import type { BatonOptions } from './options.js'
import { createPagesHelpers } from './pages/pages-helpers.js'
import { createNodeProxy } from './proxy/node-proxy.js'
import { resolveDevtools } from './proxy/proxy-report.js'
import { createActions } from './server/actions.js'
import { nextFramework } from './server/next-framework.js'
import { createServerHelpers } from './server/session.js'
import { createSessionUpdate } from './server/update-session.js'

/**
 * Creates Baton for a Next.js app: one object holding the route handlers, the
 * proxy, the server helpers and actions — bindings over one framework-free
 * `AuthServer` (`@baton/core/server`). Options are validated here, at startup.
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
  // `devtools` is the proxy's alone: the server layer never sees it.
  const { devtools, ...serverOptions } = options
  const server = createAuthServer({ ...serverOptions, framework: nextFramework })
  const route = server.handle
  const handlers: BatonRouteHandlers = {
    GET: route,
    POST: route,
    DELETE: route,
    PUT: route,
    PATCH: route,
    OPTIONS: route,
  }
  return {
    server,
    engine: server.engine,
    options: server.options,
    cookieNames: server.cookieNames,
    handlers,
    proxy: createNodeProxy(server, { devtools: resolveDevtools(devtools) }),
    ...createServerHelpers(server),
    ...createSessionUpdate(server),
    actions: createActions(server),
    ...createCorsHelpers(server.options.cors),
    pages: createPagesHelpers(server),
    upstream: server.upstream,
    oidc: server.oidc,
  }
}

export type { Baton } from './baton-api.js'
