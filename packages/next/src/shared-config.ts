import type { CookieSettings, PathRule } from '@baton/core/server/edge'

/**
 * The options `createBaton` and the Edge proxy (`createEdgeProxy`) both read,
 * and must agree on: when they differ, the proxy looks for cookies the routes
 * never set (e.g. `__Host-baton.rt` against `baton.rt` after
 * `cookies: { secure: false }` on one side only) and sends a signed-in user
 * back to sign-in forever.
 *
 * Keep them in one object, in a module with no store or Node import, and
 * pass that object to both:
 *
 * ```ts
 * // lib/baton-config.ts
 * import type { BatonSharedConfig } from '@baton/next/edge'
 * export const batonConfig = {
 *   secret: process.env.BATON_SECRET!,
 *   paths: { protected: ['/dashboard', '/api/me'] },
 * } satisfies BatonSharedConfig
 *
 * // lib/baton.ts:   createBaton({ ...batonConfig, store, authenticate })
 * // middleware.ts:  createEdgeProxy(batonConfig)
 * ```
 */
export interface BatonSharedConfig {
  /** The server secret(s), ≥ 32 bytes each (HS256 tokens). */
  secret?: string | readonly string[]
  /** `iss` (and by default `aud`) of access tokens. Default `"baton"`. */
  issuer?: string
  /** `aud` of access tokens; defaults to the issuer. */
  audience?: string
  /** Seconds of clock skew allowed when verifying (at most 600). Default 5. */
  clockTolerance?: number
  /** Where the route handlers are mounted. Default `/api/auth`. */
  basePath?: string
  /** Cookie names and attributes; both sides derive the cookie names from these. */
  cookies?: Partial<CookieSettings>
  /** Which paths the proxy protects, which answer JSON, and the sign-in page. */
  paths?: { protected?: PathRule; public?: PathRule; api?: PathRule; signIn?: string }
  /**
   * Refresh an access token this many seconds before it expires — at most a third of the token's
   * lifetime, so a short-lived token is not refreshed on every request. At most 3600. Default 60.
   */
  refreshLeeway?: number
  /**
   * Reverse proxies of yours in front of the app. Above 0, `X-Forwarded-For`
   * gives the client IP and `X-Forwarded-Host`/`-Proto` the origin of
   * redirects; at 0 (default) those headers are ignored.
   */
  trustProxy?: number
  /**
   * The origin users reach the app at (`https://app.example.com`). When set,
   * redirects are built on it whatever the request's headers say, and
   * state-changing routes accept it as `Origin`. When unset, it is derived
   * from each request (`Host`, or the forwarded headers with `trustProxy`).
   */
  publicOrigin?: string
  /**
   * Report what the proxy did, for Baton's dev tools: each response of the
   * proxy carries `Server-Timing: baton;dur=…;desc="<action>:<reason>"`, and a
   * sign-in redirect a short-lived readable `baton-devtools` cookie (see
   * README, "Dev tools"). Nothing secret, but it tells how sessions are
   * handled: keep it off in production. Default: on when
   * `NODE_ENV === 'development'` (`next dev`), off otherwise.
   */
  devtools?: boolean
}
