import { ConfigError, seconds } from '../../verify.js'

/** Opt-in CORS with credentials (`createBaton({ cors })`), for a front end served from another origin. */
export interface CorsOptions {
  /**
   * The exact origins allowed to call with credentials (`'http://localhost:5173'`).
   * Never `*`. Listing an origin also lets it pass the CSRF origin check: it can
   * sign users in and out, refresh and revoke, exactly like the app's own pages.
   */
  origins: readonly string[]
  /** Seconds browsers may cache a preflight answer: a whole number, at most 86400. Default 600. */
  maxAge?: number
}

/** CORS after validation: `null` when the app did not opt in. */
export interface ResolvedCors {
  origins: ReadonlySet<string>
  maxAge: number
}

/** Request headers a cross-origin caller may send: JSON bodies and Bearer tokens. */
const ALLOW_HEADERS = 'Content-Type, Authorization'
/** Response headers the Baton clients read that are not CORS-safelisted. */
const EXPOSE_HEADERS = 'Retry-After, WWW-Authenticate'
/** Methods an app route wrapped by `baton.cors` may be called with. */
export const APP_ROUTE_METHODS = 'GET, HEAD, POST, PUT, PATCH, DELETE'

/** Validates `cors` at startup: bare http(s) origins only, never `*`. */
export function resolveCors(options: CorsOptions | undefined): ResolvedCors | null {
  if (options === undefined) return null
  if (!options || !Array.isArray(options.origins) || options.origins.length === 0)
    throw new ConfigError('`cors.origins` must list at least one origin, e.g. ["http://localhost:5173"].')
  const origins = new Set<string>()
  for (const origin of options.origins) {
    if (origin === '*' || origin === 'null')
      throw new ConfigError(`cors.origins: "${origin}" is not allowed with credentials; list each origin.`)
    let parsed: URL | null = null
    try {
      parsed = typeof origin === 'string' ? new URL(origin) : null
    } catch {}
    if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:'))
      throw new ConfigError(`cors.origins: "${String(origin)}" is not an http(s) origin.`)
    if (parsed.origin !== origin) throw new ConfigError(`cors.origins: use the bare origin "${parsed.origin}".`)
    origins.add(origin)
  }
  // At most a day: no browser keeps a preflight longer (Firefox 24 h, Chromium 2 h).
  const maxAge = seconds('cors.maxAge', options.maxAge, 600, { max: 86_400 }) / 1000
  if (!Number.isInteger(maxAge)) throw new ConfigError('`cors.maxAge` must be a whole number of seconds.')
  return { origins, maxAge }
}

/** The listed origin a request comes from, or null. */
function listedOrigin(cors: ResolvedCors | null, request: Request): string | null {
  const origin = request.headers.get('origin')
  return cors && origin !== null && cors.origins.has(origin) ? origin : null
}

/**
 * Adds the CORS headers to a response: for a listed `Origin`, that origin
 * (never `*`) with credentials; with CORS configured, `Vary: Origin` always,
 * so a shared cache never serves one origin's answer to another.
 */
export function withCors(cors: ResolvedCors | null, request: Request, response: Response): Response {
  if (!cors) return response
  let out = response
  try {
    addCorsHeaders(cors, request, out.headers)
  } catch {
    // Immutable headers (`Response.redirect()`, a `fetch` response): copy, then add.
    out = new Response(response.body, {
      status: response.status,
      statusText: response.statusText,
      headers: new Headers(response.headers),
    })
    addCorsHeaders(cors, request, out.headers)
  }
  return out
}

function addCorsHeaders(cors: ResolvedCors, request: Request, headers: Headers): void {
  const vary = headers.get('vary')
  if (vary === null) headers.set('vary', 'Origin')
  else if (!/(^|,)\s*(origin|\*)\s*(,|$)/i.test(vary)) headers.set('vary', `${vary}, Origin`)
  const origin = listedOrigin(cors, request)
  if (origin === null) {
    // A header a handler set for another origin must not survive.
    headers.delete('access-control-allow-origin')
    headers.delete('access-control-allow-credentials')
    return
  }
  headers.set('access-control-allow-origin', origin)
  headers.set('access-control-allow-credentials', 'true')
  headers.set('access-control-expose-headers', EXPOSE_HEADERS)
}

/**
 * The answer to a preflight (`OPTIONS`): 204 with the allowed methods and
 * headers for a listed origin; 204 with no allow headers otherwise (the
 * browser then blocks the call) — never a 401 or 500.
 */
export function preflightResponse(cors: ResolvedCors | null, request: Request, methods: string): Response {
  const headers = new Headers({ allow: `${methods}, OPTIONS`, 'cache-control': 'no-store' })
  if (cors && listedOrigin(cors, request) !== null) {
    headers.set('access-control-allow-methods', methods)
    headers.set('access-control-allow-headers', ALLOW_HEADERS)
    headers.set('access-control-max-age', String(cors.maxAge))
  }
  return withCors(cors, request, new Response(null, { status: 204, headers }))
}

/** The helpers for the app's own routes: `baton.cors(handler)` and `baton.preflight`. */
export interface CorsHelpers {
  /**
   * Wraps a route handler (say `baton.withAuth(...)`) so every response it
   * returns, 401s included, carries the CORS headers of the `cors` option.
   * Without that option it adds nothing.
   */
  cors<A extends unknown[]>(
    handler: (request: Request, ...rest: A) => Response | Promise<Response>,
  ): (request: Request, ...rest: A) => Promise<Response>
  /** The `OPTIONS` export of a route wrapped by `baton.cors`: answers the browser's preflight. */
  preflight(request: Request): Promise<Response>
}

/** Creates {@link CorsHelpers} over the resolved `cors` option. */
export function createCorsHelpers(cors: ResolvedCors | null): CorsHelpers {
  return {
    cors(handler) {
      return async (request, ...rest) => withCors(cors, request, await handler(request, ...rest))
    },
    async preflight(request) {
      return preflightResponse(cors, request, APP_ROUTE_METHODS)
    },
  }
}
