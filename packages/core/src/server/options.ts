import type { SessionEngineOptions } from '../index.js'
import { ConfigError, seconds } from '../verify.js'
import { type CookieSettings, resolveCookieSettings } from './cookies/cookie-settings.js'
import type { AuthenticatedUser, Credentials } from './credentials.js'
import { type CorsOptions, type ResolvedCors, resolveCors } from './http/cors.js'
import { resolvePublicOrigin } from './http/public-origin.js'
import type { UpstreamOptions } from './upstream/upstream-options.js'

export type { AuthenticatedUser, Credentials } from './credentials.js'

/** A path rule: exact prefixes (`'/dashboard'` covers `/dashboard/x`) or a predicate. */
export type PathRule = readonly string[] | ((pathname: string) => boolean)

/**
 * What a framework binding tells the server layer (`@baton/next` sets it; an app on
 * plain `node:http`, Hono or Bun needs none).
 */
export interface FrameworkHooks {
  /**
   * The framework's control-flow error in `error` (Next's `redirect()`, a prerender
   * bail-out) — itself or one it wraps — or null. It is rethrown untouched, never
   * answered as a failure.
   */
  controlFlow?(error: unknown): unknown
  /** Awaited before a request's clock is read (Next's Cache Components: no `Date.now()` in a prerender). */
  beforeClock?(): Promise<void>
  /** The current request's headers, for helpers called without a request (Next's `headers()`). */
  requestHeaders?(): Promise<Headers>
}

/** Options of `createAuthServer` (and `createBaton`). Every duration is in seconds (fractions allowed). */
export interface BatonOptions extends Omit<SessionEngineOptions, 'issuer'> {
  /** `iss` (and by default `aud`) of access tokens. Default `"baton"`. */
  issuer?: string
  /**
   * Checks credentials; return the user, or null for *any* failure (unknown
   * account and wrong password must look the same). Throwing answers 503.
   * Required, except in upstream mode, where the upstream checks credentials.
   */
  authenticate?(credentials: Credentials, request: Request): Promise<AuthenticatedUser | null>
  /**
   * Upstream (backend-for-frontend) mode: sign-in is forwarded to an API that
   * issues its own tokens, which Baton keeps sealed in the session store and
   * refreshes once per expiry (see README, "Upstream mode").
   */
  upstream?: UpstreamOptions | undefined
  /** Where the route handlers are mounted. Default `/api/auth`. */
  basePath?: string
  /** Cookie names and attributes (see README: production vs development). */
  cookies?: Partial<CookieSettings>
  /** Which paths the proxy protects, which answer JSON, and the sign-in page. */
  paths?: {
    /** Paths that need a session. Default: none (the proxy passes everything). */
    protected?: PathRule
    /** Paths under `protected` that stay public (e.g. `/dashboard/help`). */
    public?: PathRule
    /** Paths answered with 401 JSON instead of a redirect. Default `['/api']`. */
    api?: PathRule
    /** The sign-in page; the proxy redirects there with `?next=`. Default `/login`. */
    signIn?: string
  }
  /**
   * Refresh an access token this many seconds before it expires — at most a third of the token's
   * lifetime, so a short-lived token is not refreshed on every request. The same rule in the Node
   * proxy, the Edge proxy and `@baton/react`. At most 3600. Default 60.
   */
  refreshLeeway?: number
  /**
   * Login attempts per `window` (seconds, at most 86400; default 60) per (client IP, account)
   * (`limit`, default 5), and per account (`accountLimit`, default 20). `false` disables.
   */
  rateLimit?: false | { limit?: number; window?: number; accountLimit?: number }
  /**
   * How many reverse proxies in front of the app append to `X-Forwarded-For`
   * (and set `X-Forwarded-Host`/`-Proto`). 0 (default): those headers are
   * ignored — clients can set them, and `next start` passes a client's value
   * through — so the client IP is unknown unless `clientIp` says otherwise,
   * and redirects are built on `Host` (or `publicOrigin`).
   */
  trustProxy?: number
  /** Derives the client IP yourself (e.g. a platform header). Overrides `trustProxy`. */
  clientIp?: (request: Request) => string | null
  /**
   * The origin users reach the app at (`https://app.example.com`): the base
   * of the proxy's sign-in redirect, and an accepted `Origin`. Default: derived
   * from each request's `Host` (or, with `trustProxy`, `X-Forwarded-Host`/`-Proto`).
   */
  publicOrigin?: string
  /** Origins allowed to call state-changing routes besides the app's own. */
  allowedOrigins?: readonly string[]
  /**
   * Opt-in CORS with credentials for a front end on another origin (a SPA on
   * `http://localhost:5173`): the auth routes and routes wrapped by
   * `baton.cors()` answer preflights and name the listed origin. A listed
   * origin is also trusted by the CSRF check (see README, "CORS").
   */
  cors?: CorsOptions
  /**
   * Accept the token transport for native apps and CLIs (default false): a
   * request with `X-Baton-Transport: token` and no Baton cookie gets the
   * refresh token in the JSON answer instead of a cookie, sends it back in the
   * body of `/refresh` and `/logout`, and uses its access token as Bearer.
   * Such a request carries no ambient credential, so the CSRF check does not
   * apply to it; one that also carries Baton's cookies is refused.
   */
  tokenTransport?: boolean
  /** Largest request body accepted, in bytes. Default 16 384. */
  maxBodyBytes?: number
  /** The rate-limit account key; default: the lower-cased `email`, `username` or `login` field. */
  accountKey?: (credentials: Credentials) => string | null
  /** For framework bindings: see {@link FrameworkHooks}. */
  framework?: FrameworkHooks
}

/** Options after defaults and validation. */
export interface ResolvedBatonOptions {
  basePath: string
  cookies: CookieSettings
  isProtected: (pathname: string) => boolean
  isApi: (pathname: string) => boolean
  signInPath: string
  refreshLeewayMs: number
  rateLimit: { limit: number; windowMs: number; accountLimit: number } | null
  trustProxy: number
  clientIp: ((request: Request) => string | null) | undefined
  publicOrigin: string | null
  allowedOrigins: ReadonlySet<string>
  /** CORS with credentials, or null (the default: no CORS headers at all). */
  cors: ResolvedCors | null
  maxBodyBytes: number
  /** Whether native apps and CLIs may use the token transport. */
  tokenTransport: boolean
  accountKey: (credentials: Credentials) => string | null
}

/** Turns a path rule into a predicate; prefixes must start with "/". */
export function matcher(rule: PathRule | undefined, fallback: readonly string[]): (pathname: string) => boolean {
  if (typeof rule === 'function') return rule
  const prefixes = [...(rule ?? fallback)]
  for (const prefix of prefixes) {
    if (typeof prefix !== 'string' || !prefix.startsWith('/'))
      throw new ConfigError(`Path "${prefix}" must start with "/".`)
  }
  const bare = prefixes.map((p) => (p.length > 1 && p.endsWith('/') ? p.slice(0, -1) : p))
  return (pathname) => bare.some((p) => p === '/' || pathname === p || pathname.startsWith(`${p}/`))
}

/** Largest `refreshLeeway` (seconds) anywhere in Baton: above it, milliseconds were surely meant. */
export const MAX_REFRESH_LEEWAY = 3600

/** A count (not a duration: those go through `seconds`). */
function positive(name: string, value: number | undefined, fallback: number): number {
  const v = value ?? fallback
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new ConfigError(`\`${name}\` must be a number ≥ 0.`)
  return v
}

/** A boolean option (default false); anything else is a mistake worth failing at startup. */
function flag(name: string, value: boolean | undefined): boolean {
  if (value !== undefined && typeof value !== 'boolean') throw new ConfigError(`\`${name}\` must be a boolean.`)
  return value === true
}

const IDENTITY_FIELDS = ['email', 'username', 'login'] as const

const defaultAccountKey = (credentials: Credentials): string | null => {
  // Exactly one identity field: otherwise a junk second field would change the
  // key on every attempt and slip past the per-account limit.
  const present = IDENTITY_FIELDS.filter((f) => Object.hasOwn(credentials, f))
  if (present.length !== 1) return null
  const value = credentials[present[0] as string]
  // NFKC before lower-casing: compatibility forms such as "ℌ" or "𝐀" normalise to
  // capitals, which lower-casing first would leave as distinct keys (a way
  // round the per-account limit against an app that normalises its logins).
  return typeof value === 'string' ? value.normalize('NFKC').toLowerCase().trim() : null
}

/** Validates the adapter options at startup (a bad cookie name or path fails here, not per request). */
export function resolveBatonOptions(options: BatonOptions): ResolvedBatonOptions {
  if (typeof options.authenticate !== 'function' && !options.upstream)
    throw new ConfigError('`authenticate(credentials, request)` is required (or `upstream: { url }`).')
  const basePath = options.basePath ?? '/api/auth'
  // Segments only: "//host" would make URLs built from it protocol-relative.
  if (typeof basePath !== 'string' || !/^(\/[A-Za-z0-9_-]+)+$/.test(basePath))
    throw new ConfigError('`basePath` must look like "/api/auth".')
  const signInPath = options.paths?.signIn ?? '/login'
  // Never "//evil.example": a redirect to it would leave the site.
  if (typeof signInPath !== 'string' || !/^\/(?!\/)[A-Za-z0-9/_.-]*$/.test(signInPath))
    throw new ConfigError('`paths.signIn` must be a path like "/login".')
  const isPublic = matcher(options.paths?.public, [])
  const protectedMatch = matcher(options.paths?.protected, [])
  const limit = options.rateLimit === false ? null : (options.rateLimit ?? {})
  const allowedOrigins = new Set<string>()
  for (const origin of options.allowedOrigins ?? []) {
    let parsed: URL
    try {
      parsed = new URL(origin)
    } catch {
      throw new ConfigError(`allowedOrigins: "${origin}" is not a URL.`)
    }
    if (parsed.origin !== origin) throw new ConfigError(`allowedOrigins: use the bare origin "${parsed.origin}".`)
    allowedOrigins.add(origin)
  }
  const cors = resolveCors(options.cors)
  // One trust decision: an origin that may read credentialed answers may also send state-changing calls.
  for (const origin of cors?.origins ?? []) allowedOrigins.add(origin)
  return {
    basePath,
    cookies: resolveCookieSettings(options.cookies),
    isProtected: (pathname) => protectedMatch(pathname) && !isPublic(pathname) && pathname !== signInPath,
    isApi: matcher(options.paths?.api, ['/api']),
    signInPath,
    refreshLeewayMs: seconds('refreshLeeway', options.refreshLeeway, 60, { max: MAX_REFRESH_LEEWAY }),
    rateLimit: limit && {
      limit: Math.floor(positive('rateLimit.limit', limit.limit, 5)),
      windowMs: seconds('rateLimit.window', limit.window, 60, { max: 86_400 }),
      accountLimit: Math.floor(positive('rateLimit.accountLimit', limit.accountLimit, 20)),
    },
    trustProxy: Math.floor(positive('trustProxy', options.trustProxy, 0)),
    clientIp: options.clientIp,
    publicOrigin: resolvePublicOrigin(options.publicOrigin),
    allowedOrigins,
    cors,
    maxBodyBytes: Math.floor(positive('maxBodyBytes', options.maxBodyBytes, 16_384)),
    tokenTransport: flag('tokenTransport', options.tokenTransport),
    accountKey: options.accountKey ?? defaultAccountKey,
  }
}
