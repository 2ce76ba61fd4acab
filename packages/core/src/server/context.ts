import { ConfigError, type IssuedSession, type RequestMeta, type SessionEngine } from '../index.js'
import { type CookieNames, cookieNames } from './cookies/cookie-settings.js'
import { type CookieInstruction, clearedCookies, sessionCookies } from './cookies/set-cookie.js'
import { clientIp } from './http/client-ip.js'
import type { CredentialsVerifier, TokenKeeper } from './identity.js'
import type { OidcRuntime } from './oidc/oidc-runtime.js'
import type { FrameworkHooks, ResolvedBatonOptions } from './options.js'

/** Longest access token Baton sets as a cookie; browsers drop cookies over ~4 KB silently. */
export const MAX_COOKIE_TOKEN_LENGTH = 3800

/** Everything the operations, the router and the bindings share (not public). */
export interface BatonContext {
  engine: SessionEngine
  options: ResolvedBatonOptions
  /** Checks sign-in credentials: the app's `authenticate`, or the upstream. */
  credentials: CredentialsVerifier
  /** Keeps third-party tokens with sessions (upstream mode); undefined when there are none. */
  keeper: TokenKeeper | undefined
  /** OpenID Connect, when the `oidc` option is set. */
  oidc: OidcRuntime | undefined
  names: CookieNames
  /** Request metadata recorded on sessions. */
  meta(request: Request): RequestMeta
  /** The cookies of an issued session; refuses tokens too big for a cookie. */
  cookiesFor(issued: IssuedSession): CookieInstruction[]
  /** The cookie deletions that sign the browser out. */
  clearCookies(): CookieInstruction[]
  /** Throws `error` again when the framework uses it for control flow (Next's `redirect()`). */
  rethrowControlFlow(error: unknown): void
  /** Awaited before a request's clock-dependent work (Next's Cache Components prerender). */
  beforeClock(): Promise<void>
}

/** Refuses an access token too large for a cookie (the app's user snapshot or `claims` is too big). */
export function assertCookieSized(accessToken: string): void {
  if (accessToken.length > MAX_COOKIE_TOKEN_LENGTH) {
    throw new ConfigError(
      `The access token is ${accessToken.length} bytes, too large for a cookie: keep the user snapshot small or trim it with \`claims\`.`,
    )
  }
}

/** Throws the framework's control-flow error in `error` (itself or a cause) untouched; returns otherwise. */
export function controlFlowRethrower(framework: FrameworkHooks | undefined): (error: unknown) => void {
  return (error) => {
    const signal = framework?.controlFlow?.(error) ?? null
    if (signal !== null) throw signal
  }
}

/** Builds the shared context. */
export function createContext(input: {
  engine: SessionEngine
  options: ResolvedBatonOptions
  credentials: CredentialsVerifier
  keeper: TokenKeeper | undefined
  oidc?: OidcRuntime | undefined
  framework: FrameworkHooks | undefined
}): BatonContext {
  const { engine, options, framework } = input
  const names = cookieNames(options.cookies)
  return {
    engine,
    options,
    credentials: input.credentials,
    keeper: input.keeper,
    oidc: input.oidc,
    names,
    meta: (request) => ({
      userAgent: request.headers.get('user-agent')?.slice(0, 512) ?? null,
      ip: clientIp(request, options),
    }),
    cookiesFor(issued) {
      assertCookieSized(issued.accessToken)
      return sessionCookies(names, issued, engine.options.clock.now(), options.cookies)
    },
    clearCookies: () => clearedCookies(names, options.cookies),
    rethrowControlFlow: controlFlowRethrower(framework),
    beforeClock: async () => {
      await framework?.beforeClock?.()
    },
  }
}
