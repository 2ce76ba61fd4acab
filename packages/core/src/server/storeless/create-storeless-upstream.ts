import { type Clock, ConfigError, NotFoundError, systemClock } from '../../index.js'
import { deriveSecret, seconds } from '../../verify.js'
import { controlFlowRethrower } from '../context.js'
import { cookieNames, resolveCookieSettings } from '../cookies/cookie-settings.js'
import { resolvePublicOrigin } from '../http/public-origin.js'
import { errorResponse } from '../http/responses.js'
import type { OidcOptions } from '../oidc/oidc-options.js'
import { createOidcCore } from '../oidc/oidc-runtime.js'
import { isTerminal } from '../operations/terminal-errors.js'
import type { FrameworkHooks } from '../options.js'
import { jsonSealer } from '../upstream/sealed-json.js'
import { resolveUpstreamOptions, type UpstreamOptions } from '../upstream/upstream-options.js'
import { createCookieTokens } from './cookie-tokens.js'
import type { StorelessSession, StorelessUpstream } from './storeless-api.js'
import { storelessLogin, storelessLogout } from './storeless-credentials.js'
import { storelessOidcRoutes } from './storeless-oidc.js'
import {
  clearedCookie,
  cookieFor,
  readCookieSession,
  type StorelessContext,
  storelessSession,
} from './storeless-session.js'
import { wrapWithSession } from './storeless-wrap.js'

export type { StorelessSession, StorelessUpstream, UpstreamFetch } from './storeless-api.js'

/** HKDF label of the key that seals the storeless cookie. */
export const COOKIE_SEALING_LABEL = 'upstream/cookie/a256gcm'

/** Options of {@link createStorelessUpstream}. */
export interface StorelessUpstreamOptions {
  /** ≥ 32 bytes; a list rotates (the first seals, all open). */
  secret: string | readonly string[]
  /** The upstream API that checks passwords and issues the pair (`POST /login`). One of `upstream` and `oidc`. */
  upstream?: UpstreamOptions | undefined
  /**
   * OpenID Connect without a database: `GET /signin/:provider`, `GET /callback/:provider`,
   * `POST /signout/:provider`; the provider's tokens sealed in the cookie. One of `upstream` and `oidc`.
   */
  oidc?: OidcOptions | undefined
  /** The app's public origin for the OIDC redirect URIs (default: from each request's `Host`). */
  publicOrigin?: string | undefined
  /** Where a failed OIDC sign-in and the provider's sign-out send the browser. Default `/login`. */
  paths?: { signIn?: string } | undefined
  /** Where `handlers` answers `/login` and `/logout`. Default `/api/auth`. */
  basePath?: string
  /** The cookie: name (`baton.up`, `__Host-` when secure), attributes, `maxAge` in seconds (7 days; at most 400 days). */
  cookie?: { name?: string; secure?: boolean; sameSite?: 'lax' | 'strict'; maxAge?: number }
  /** Origins allowed to post to the routes besides the app's own. */
  allowedOrigins?: readonly string[]
  clock?: Clock
  /** For framework bindings (`@baton/next` sets it): see `FrameworkHooks`. */
  framework?: FrameworkHooks
}

/**
 * Upstream mode without a database: the upstream pair and the user live in
 * one sealed HttpOnly cookie (compact JWE, `dir` + `A256GCM`). Refreshes are
 * single-flighted in this process only — read "Storeless variant" in the
 * README for what that does not cover.
 */
export function createStorelessUpstream(options: StorelessUpstreamOptions): StorelessUpstream {
  if (!options.upstream === !options.oidc) throw new ConfigError('Pass exactly one of `upstream` and `oidc`.')
  const oidc = options.oidc
    ? createOidcCore(options.secret, options.oidc, (label) => deriveFromSecret(options.secret, label))
    : undefined
  const upstream = oidc ? oidc.upstream : resolveUpstreamOptions(options.upstream as UpstreamOptions)
  const clock = options.clock ?? systemClock
  const basePath = options.basePath ?? '/api/auth'
  const settings = resolveCookieSettings({
    accessName: options.cookie?.name ?? 'baton.up',
    refreshName: `${options.cookie?.name ?? 'baton.up'}-unused`,
    ...(options.cookie?.secure === undefined ? {} : { secure: options.cookie.secure }),
    ...(options.cookie?.sameSite ? { sameSite: options.cookie.sameSite } : {}),
  })
  const ctx: StorelessContext = {
    upstream,
    tokens: createCookieTokens(upstream, jsonSealer(options.secret, COOKIE_SEALING_LABEL), clock),
    cookie: {
      name: cookieNames(settings).access,
      settings,
      // At most 400 days, the longest any browser keeps a cookie.
      maxAgeMs: seconds('cookie.maxAge', options.cookie?.maxAge, 7 * 86_400, { positive: true, max: 34_560_000 }),
    },
    guard: { allowedOrigins: new Set(options.allowedOrigins ?? []), maxBodyBytes: 16_384 },
    clock,
    rethrowControlFlow: controlFlowRethrower(options.framework),
  }
  const currentHeaders = async (): Promise<Headers> => {
    if (!options.framework?.requestHeaders) throw new ConfigError('Pass the request: `session(request)`.')
    return options.framework.requestHeaders()
  }

  const oidcRoutes =
    oidc &&
    storelessOidcRoutes(oidc, {
      flow: {
        options: {
          cookies: settings,
          basePath,
          publicOrigin: resolvePublicOrigin(options.publicOrigin),
          trustProxy: 0,
          ...ctx.guard,
        },
      },
      signInPath: options.paths?.signIn ?? '/login',
      cookieFor: (session) => cookieFor(ctx, session),
      read: (request) => readCookieSession(ctx, request),
      cleared: () => clearedCookie(ctx),
      now: () => clock.now(),
    })
  /** `{basePath}/{route}/{name}` → [route, name], for the OIDC routes. */
  const oidcRoute = (pathname: string): [string, string] | null => {
    const match = pathname.startsWith(`${basePath}/`) ? pathname.slice(basePath.length + 1).split('/') : []
    return match.length === 2 && match[1] ? [match[0] as string, decodeURIComponent(match[1])] : null
  }

  return {
    /**
     * `POST {basePath}/login` (JSON credentials → sealed cookie) and `POST {basePath}/logout`; with
     * `oidc`, `GET {basePath}/signin/:provider`, `GET {basePath}/callback/:provider` and
     * `POST {basePath}/signout/:provider`.
     */
    handlers: {
      async GET(request: Request): Promise<Response> {
        const route = oidcRoute(new URL(request.url).pathname)
        try {
          if (oidcRoutes && route?.[0] === 'signin') return await oidcRoutes.signIn(request, route[1])
          if (oidcRoutes && route?.[0] === 'callback') return await oidcRoutes.callback(request, route[1])
          throw new NotFoundError('No such auth route.')
        } catch (error) {
          ctx.rethrowControlFlow(error)
          return errorResponse(error)
        }
      },
      async POST(request: Request): Promise<Response> {
        const { pathname } = new URL(request.url)
        const route = oidcRoute(pathname)
        try {
          if (pathname === `${basePath}/login` && !oidc) return await storelessLogin(ctx, request)
          if (pathname === `${basePath}/logout`) return await storelessLogout(ctx, request)
          if (oidcRoutes && route?.[0] === 'signout') return await oidcRoutes.signOut(request, route[1])
          throw new NotFoundError('No such auth route.')
        } catch (error) {
          ctx.rethrowControlFlow(error)
          const clears = isTerminal(error) && pathname !== `${basePath}/login`
          return errorResponse(error, { cookies: clears ? [clearedCookie(ctx)] : [] })
        }
      },
    },
    async session(request?: { headers: Headers }): Promise<StorelessSession | null> {
      return storelessSession(ctx, request ?? { headers: await currentHeaders() })
    },
    withAuth: (handler) => wrapWithSession(ctx, 'auth', handler),
    withSession: (handler) => wrapWithSession(ctx, 'session', handler),
  }
}

/** 32 bytes for `label` from the current (first) secret, as the session engine derives its keys. */
async function deriveFromSecret(secret: string | readonly string[], label: string): Promise<Uint8Array> {
  const [current] = typeof secret === 'string' ? [secret] : secret
  if (!current) throw new ConfigError('`secret` is required.')
  return (await deriveSecret(current)).deriveBits(label)
}
