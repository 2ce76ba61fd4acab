import {
  type Clock,
  ConfigError,
  InvalidCredentialsError,
  isBatonError,
  type JsonObject,
  NotFoundError,
  systemClock,
  UnauthenticatedError,
} from '../../index.js'
import { deriveSecret, seconds } from '../../verify.js'
import { controlFlowRethrower, MAX_COOKIE_TOKEN_LENGTH } from '../context.js'
import { cookieNames, resolveCookieSettings } from '../cookies/cookie-settings.js'
import { readCookie } from '../cookies/read-cookie.js'
import { type CookieInstruction, cookieToClear, cookieToSet, toSetCookie } from '../cookies/set-cookie.js'
import { resolvePublicOrigin } from '../http/public-origin.js'
import { assertSameOrigin, readJsonBody } from '../http/request-guard.js'
import { errorResponse, json } from '../http/responses.js'
import type { OidcOptions } from '../oidc/oidc-options.js'
import { createOidcCore } from '../oidc/oidc-runtime.js'
import { checkUser, parseCredentials } from '../operations/sign-in.js'
import { isTerminal } from '../operations/terminal-errors.js'
import type { FrameworkHooks, ResolvedBatonOptions } from '../options.js'
import { jsonSealer } from '../upstream/sealed-json.js'
import { stateFrom } from '../upstream/token-state.js'
import { asUpstreamError } from '../upstream/upstream-errors.js'
import { upstreamFetch } from '../upstream/upstream-fetch.js'
import { resolveUpstreamOptions, type UpstreamOptions } from '../upstream/upstream-options.js'
import { withDeadline } from '../upstream/with-deadline.js'
import { type CookieSession, createCookieTokens } from './cookie-tokens.js'
import type { StorelessSession, StorelessUpstream } from './storeless-api.js'
import { storelessOidcRoutes } from './storeless-oidc.js'

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
  const name = cookieNames(settings).access
  // At most 400 days, the longest any browser keeps a cookie.
  const maxAgeMs = seconds('cookie.maxAge', options.cookie?.maxAge, 7 * 86_400, { positive: true, max: 34_560_000 })
  const guard: Pick<ResolvedBatonOptions, 'allowedOrigins' | 'maxBodyBytes'> = {
    allowedOrigins: new Set(options.allowedOrigins ?? []),
    maxBodyBytes: 16_384,
  }
  const tokens = createCookieTokens(upstream, jsonSealer(options.secret, COOKIE_SEALING_LABEL), clock)
  const cleared = () => cookieToClear(name, settings)
  const ended = isTerminal
  const rethrowControlFlow = controlFlowRethrower(options.framework)
  const currentHeaders = async (): Promise<Headers> => {
    if (!options.framework?.requestHeaders) throw new ConfigError('Pass the request: `session(request)`.')
    return options.framework.requestHeaders()
  }

  async function cookieFor(session: CookieSession): Promise<CookieInstruction> {
    const value = await tokens.seal(session)
    if (value.length > MAX_COOKIE_TOKEN_LENGTH) {
      // Never a cookie the browser drops, or a Cookie header a server refuses with 431, later.
      throw new ConfigError(
        `The upstream's tokens, sealed, take ${value.length} bytes: more than one cookie holds (${MAX_COOKIE_TOKEN_LENGTH}). ` +
          'Keep them server-side instead: createBaton({ store, upstream }) seals them in the session store.',
      )
    }
    return cookieToSet(name, value, clock.now() + maxAgeMs, clock.now(), settings)
  }

  async function login(request: Request): Promise<Response> {
    assertSameOrigin(request, guard)
    const credentials = parseCredentials(await readJsonBody(request, guard))
    let result: Awaited<ReturnType<typeof upstream.protocol.login>>
    try {
      const signal = AbortSignal.timeout(upstream.timeoutMs)
      result = await upstream.protocol.login({ url: upstream.url, fetch: upstream.fetch, signal, credentials, request })
    } catch (error) {
      throw asUpstreamError(error, 'login')
    }
    if (!result) throw new InvalidCredentialsError()
    const { user: upstreamUser, ...pair } = result
    const user = checkUser(upstream.toUser(upstreamUser)) as JsonObject
    let cookie: CookieInstruction
    try {
      cookie = await cookieFor({ user, tokens: stateFrom(pair, clock.now()) })
    } catch (error) {
      // No cookie, no session: do not leave the upstream's pair alive.
      const signal = AbortSignal.timeout(upstream.logoutTimeoutMs)
      await withDeadline(
        upstream.protocol.logout({ url: upstream.url, fetch: upstream.fetch, signal, ...pair }),
        upstream.logoutTimeoutMs,
      ).catch(() => undefined)
      throw error
    }
    return json({ user }, { cookies: [cookie] })
  }

  async function logout(request: Request): Promise<Response> {
    assertSameOrigin(request, guard)
    const session = await tokens.open(readCookie(request.headers.get('cookie'), name) ?? null)
    if (session) {
      const { accessToken, refreshToken } = session.tokens
      const signal = AbortSignal.timeout(upstream.logoutTimeoutMs)
      await withDeadline(
        upstream.protocol.logout({
          url: upstream.url,
          fetch: upstream.fetch,
          signal,
          accessToken,
          refreshToken,
          ...(session.tokens.provider === undefined ? {} : { provider: session.tokens.provider }),
        }),
        upstream.logoutTimeoutMs,
      ).catch((error) => console.warn(`[baton] upstream logout failed (the cookie is cleared anyway): ${error}`))
    }
    return json({ ok: true }, { cookies: [cleared()] })
  }

  /** The request's session, refreshed when needed; null without a (valid) cookie. */
  async function session(request: { headers: Headers }, rejected?: string): Promise<StorelessSession | null> {
    const current = await tokens.open(readCookie(request.headers.get('cookie'), name) ?? null)
    if (!current) return null
    const { session: fresh, changed } = await tokens.fresh(current, rejected)
    return {
      user: fresh.user,
      accessToken: fresh.tokens.accessToken,
      setCookie: changed ? toSetCookie(await cookieFor(fresh)) : null,
    }
  }

  const signInPath = options.paths?.signIn ?? '/login'
  const oidcRoutes =
    oidc &&
    storelessOidcRoutes(oidc, {
      flow: {
        options: {
          cookies: settings,
          basePath,
          publicOrigin: resolvePublicOrigin(options.publicOrigin),
          trustProxy: 0,
          ...guard,
        },
      },
      signInPath,
      cookieFor,
      read: (request) => tokens.open(readCookie(request.headers.get('cookie'), name) ?? null),
      cleared,
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
          rethrowControlFlow(error)
          return errorResponse(error)
        }
      },
      async POST(request: Request): Promise<Response> {
        const { pathname } = new URL(request.url)
        const route = oidcRoute(pathname)
        try {
          if (pathname === `${basePath}/login` && !oidc) return await login(request)
          if (pathname === `${basePath}/logout`) return await logout(request)
          if (oidcRoutes && route?.[0] === 'signout') return await oidcRoutes.signOut(request, route[1])
          throw new NotFoundError('No such auth route.')
        } catch (error) {
          rethrowControlFlow(error)
          return errorResponse(error, { cookies: ended(error) && pathname !== `${basePath}/login` ? [cleared()] : [] })
        }
      },
    },
    async session(request?: { headers: Headers }): Promise<StorelessSession | null> {
      return session(request ?? { headers: await currentHeaders() })
    },
    withAuth: (handler) => wrap('auth', handler),
    withSession: (handler) => wrap('session', handler),
  }

  /** withAuth / withSession: the same wrapper, the session under `key` in the handler's context. */
  function wrap<C>(
    key: 'auth' | 'session',
    handler: (request: Request, context: never) => Response | Promise<Response>,
  ): (request: Request, context: C) => Promise<Response> {
    return async (request, context) => {
      let current: StorelessSession | null
      try {
        current = await session(request)
      } catch (error) {
        // Cache Components prerender a GET handler at build: reading the cookie stops it there.
        rethrowControlFlow(error)
        return errorResponse(error, { cookies: ended(error) ? [cleared()] : [] })
      }
      if (!current) return errorResponse(new UnauthenticatedError())
      let latest: StorelessSession = current
      const token = async ({ rejected }: { rejected?: string } = {}) => {
        if (rejected === undefined) return latest.accessToken
        const renewed = await session(request, rejected)
        if (!renewed) throw new UnauthenticatedError()
        latest = { ...renewed, setCookie: renewed.setCookie ?? latest.setCookie }
        return latest.accessToken
      }
      let response: Response
      try {
        const call = (path: string, init?: RequestInit) => upstreamFetch(upstream, token, path, init)
        response = await handler(request, { ...(context ?? ({} as C)), [key]: current, upstream: call } as never)
      } catch (error) {
        rethrowControlFlow(error)
        if (!isBatonError(error)) throw error
        response = errorResponse(error, { cookies: ended(error) ? [cleared()] : [] })
        if (ended(error)) return response
      }
      if (!latest.setCookie) return response
      const copy = new Response(response.body, response)
      copy.headers.append('set-cookie', latest.setCookie)
      return copy
    }
  }
}

/** 32 bytes for `label` from the current (first) secret, as the session engine derives its keys. */
async function deriveFromSecret(secret: string | readonly string[], label: string): Promise<Uint8Array> {
  const [current] = typeof secret === 'string' ? [secret] : secret
  if (!current) throw new ConfigError('`secret` is required.')
  return (await deriveSecret(current)).deriveBits(label)
}
