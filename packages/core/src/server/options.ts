import type { SessionEngineOptions } from '../index.js'
import type { CookieSettings } from './cookies/cookie-settings.js'
import type { AuthenticatedUser, Credentials } from './credentials.js'
import type { CorsOptions, ResolvedCors } from './http/cors.js'
import type { OidcOptions } from './oidc/oidc-options.js'
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
  /**
   * OpenID Connect: sign in through one or more OpenID providers (authorization
   * code + PKCE), their tokens sealed in the store and refreshed once per expiry.
   * Not together with `upstream`. See the README's "OpenID Connect".
   */
  oidc?: OidcOptions | undefined
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
