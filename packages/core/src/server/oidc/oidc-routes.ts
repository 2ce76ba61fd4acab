import { isBatonError, NotFoundError } from '../../index.js'
import type { BatonContext } from '../context.js'
import { errorResponse, json, redirectResponse } from '../http/responses.js'
import { safeReturnPath } from '../http/return-path.js'
import { guard, type RouteHandler } from '../http/routes.js'
import { openSession } from '../operations/sign-in.js'
import { signOutWithGrant } from '../operations/sign-out.js'
import { backchannelLogout } from './backchannel-logout.js'
import {
  clearedTransaction,
  endSessionLocation,
  failurePage,
  finishOidcSignIn,
  isNavigation,
  providerNamed,
  startOidcSignIn,
} from './oidc-flow.js'
import type { OidcRuntime } from './oidc-runtime.js'

// OpenID Connect over HTTP: sign-in start, callback, RP-initiated sign-out. The work is in oidc-flow.ts.

function oidcOf(ctx: BatonContext): OidcRuntime {
  if (!ctx.oidc) throw new NotFoundError('OpenID Connect is not configured.')
  return ctx.oidc
}

/**
 * `POST /backchannel-logout/:provider`: the provider (not a browser) ends
 * sessions; the logout token's signature is the authentication, so there is
 * no same-origin check. 200 `{ ok, revoked }`, or 400 for anything invalid.
 */
export const oidcBackchannelLogoutRoute: RouteHandler = async (ctx, request, route) => {
  const { revoked } = await backchannelLogout(ctx, oidcOf(ctx), { request, provider: route.param })
  return json({ ok: true, revoked })
}

/** `GET /signin/:provider?returnTo=/path`: 302 to the provider, with the attempt's sealed cookie. */
export const oidcSignInRoute: RouteHandler = async (ctx, request, route) => {
  const returnTo = safeReturnPath(new URL(request.url).searchParams.get('returnTo')) ?? '/'
  try {
    const { url, cookies } = await startOidcSignIn(ctx, oidcOf(ctx), { request, provider: route.param, returnTo })
    return redirectResponse(url.href, 302, cookies)
  } catch (error) {
    // A person who clicked "Sign in with …" while the provider is down gets the sign-in page with the reason.
    if (isNavigation(request) && isBatonError(error) && error.status >= 500)
      return redirectResponse(failurePage(ctx.options.signInPath, error), 303)
    throw error
  }
}

/**
 * `GET /callback/:provider`: a new Baton session and 303 to `returnTo`. A
 * failure signs nobody in: a navigation goes to the sign-in page with
 * `?error=ERR_OIDC_SIGN_IN&reason=…`, an API call gets the JSON error.
 */
export const oidcCallbackRoute: RouteHandler = async (ctx, request, route) => {
  const oidc = oidcOf(ctx)
  const cleared = clearedTransaction(ctx, request)
  try {
    const result = await finishOidcSignIn(ctx, oidc, { request, provider: route.param })
    const issued = await openSession(ctx, {
      user: result.user,
      grant: { value: result.grant },
      meta: ctx.meta(request),
    })
    return redirectResponse(result.returnTo, 303, [...cleared, ...issued.cookies])
  } catch (error) {
    ctx.rethrowControlFlow(error)
    if (!isNavigation(request) || !isBatonError(error)) return errorResponse(error, { cookies: cleared })
    return redirectResponse(failurePage(ctx.options.signInPath, error), 303, cleared)
  }
}

/**
 * `POST /signout/:provider` (a same-origin form): ends the Baton session,
 * revokes the provider's refresh token, then 303 to the provider's
 * `end_session_endpoint` with `id_token_hint` and `post_logout_redirect_uri`
 * (the sign-in page), or straight to the sign-in page when it has none or is down.
 */
export const oidcSignOutRoute: RouteHandler = async (ctx, request, route) => {
  guard(ctx, request, route)
  const oidc = oidcOf(ctx)
  const provider = providerNamed(oidc, route.param)
  const { cookies, grant } = await signOutWithGrant(ctx, { request })
  const ended = grant as { idToken?: string; provider?: string } | null
  const location = await endSessionLocation(ctx, oidc, { request, provider, signInPath: ctx.options.signInPath, ended })
  return redirectResponse(location, 303, cookies)
}
