import { isBatonError, type JsonObject } from '../../index.js'
import type { CookieInstruction } from '../cookies/set-cookie.js'
import { assertSameOrigin } from '../http/request-guard.js'
import { errorResponse, redirectResponse } from '../http/responses.js'
import { safeReturnPath } from '../http/return-path.js'
import {
  clearedTransaction,
  endSessionLocation,
  failurePage,
  finishOidcSignIn,
  isNavigation,
  type OidcFlowContext,
  providerNamed,
  startOidcSignIn,
} from '../oidc/oidc-flow.js'
import type { OidcCore } from '../oidc/oidc-runtime.js'
import type { ResolvedBatonOptions } from '../options.js'
import { stateFrom } from '../upstream/token-state.js'
import { withDeadline } from '../upstream/with-deadline.js'
import type { CookieSession } from './cookie-tokens.js'

/** What the storeless variant lends its OpenID Connect routes. */
export interface StorelessOidcDeps {
  flow: OidcFlowContext & { options: Pick<ResolvedBatonOptions, 'allowedOrigins' | 'maxBodyBytes'> }
  signInPath: string
  /** The session cookie for a new session (refuses tokens too big for a cookie, pointing to the store). */
  cookieFor(session: CookieSession): Promise<CookieInstruction>
  /** The request's session, or null. */
  read(request: Request): Promise<CookieSession | null>
  cleared(): CookieInstruction
  now(): number
}

/**
 * OpenID Connect without a database: the same sign-in flow as the store-backed
 * server (`GET /signin/:provider`, `GET /callback/:provider`), the provider's
 * tokens and the user sealed in the one cookie, and `POST /signout/:provider`.
 */
export function storelessOidcRoutes(core: OidcCore, deps: StorelessOidcDeps) {
  const navigationFailure = (request: Request, error: unknown, cookies: CookieInstruction[]): Response =>
    isNavigation(request) && isBatonError(error)
      ? redirectResponse(failurePage(deps.signInPath, error), 303, cookies)
      : errorResponse(error, { cookies })

  return {
    async signIn(request: Request, provider: string): Promise<Response> {
      const returnTo = safeReturnPath(new URL(request.url).searchParams.get('returnTo')) ?? '/'
      const { url, cookies } = await startOidcSignIn(deps.flow, core, { request, provider, returnTo })
      return redirectResponse(url.href, 302, cookies)
    },

    async callback(request: Request, provider: string): Promise<Response> {
      const cleared = clearedTransaction(deps.flow, request)
      try {
        const { user, grant, returnTo } = await finishOidcSignIn(deps.flow, core, { request, provider })
        let cookie: CookieInstruction
        try {
          cookie = await deps.cookieFor({ user: user as JsonObject, tokens: stateFrom(grant, deps.now()) })
        } catch (error) {
          // No cookie, no session: revoke what the provider just issued.
          await withDeadline(
            core.upstream.protocol.logout({
              ...grant,
              url: core.upstream.url,
              fetch: core.fetch,
              signal: AbortSignal.timeout(5000),
            }),
            5000,
          ).catch(() => undefined)
          throw error
        }
        return redirectResponse(returnTo, 303, [...cleared, cookie])
      } catch (error) {
        return navigationFailure(request, error, cleared)
      }
    },

    async signOut(request: Request, name: string): Promise<Response> {
      assertSameOrigin(request, deps.flow.options)
      const provider = providerNamed(core, name)
      const session = await deps.read(request)
      if (session) {
        const { refreshToken, accessToken } = session.tokens
        const signal = AbortSignal.timeout(core.upstream.logoutTimeoutMs)
        await withDeadline(
          core.upstream.protocol.logout({
            url: core.upstream.url,
            fetch: core.fetch,
            signal,
            refreshToken,
            accessToken,
            provider: name,
          }),
          core.upstream.logoutTimeoutMs,
        ).catch(() => undefined)
      }
      const location = await endSessionLocation(deps.flow, core, {
        request,
        provider,
        signInPath: deps.signInPath,
        ended: session?.tokens ?? null,
      })
      return redirectResponse(location, 303, [deps.cleared()])
    },
  }
}
