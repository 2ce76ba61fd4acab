import * as client from 'openid-client'
import { type BatonError, NotFoundError, OidcSignInError, UpstreamUnavailableError } from '../../index.js'
import type { CookieInstruction } from '../cookies/set-cookie.js'
import type { AuthenticatedUser } from '../credentials.js'
import { publicOriginOf } from '../http/public-origin.js'
import { checkUser } from '../operations/sign-in.js'
import type { ResolvedBatonOptions } from '../options.js'
import type { UpstreamTokenSet } from '../upstream/upstream-protocol.js'
import type { ResolvedOidcProvider } from './oidc-options.js'
import { isRefusal, tokenSet } from './oidc-protocol.js'
import type { OidcCore } from './oidc-runtime.js'

/** What the flow needs of a Baton instance (the store-backed server, or the storeless variant). */
export interface OidcFlowContext {
  options: Pick<ResolvedBatonOptions, 'cookies' | 'basePath' | 'publicOrigin' | 'trustProxy'>
}

import {
  clearTransactionCookie,
  openTransaction,
  staleTransactions,
  TRANSACTION_TTL_SECONDS,
  transactionCookie,
} from './transaction.js'

/** The provider by name, or a 404 for a name the app does not configure. */
export function providerNamed(oidc: OidcCore, name: string): ResolvedOidcProvider {
  const provider = oidc.clients.provider(name)
  if (!provider) throw new NotFoundError(`No OpenID provider is called "${name.slice(0, 32)}".`)
  return provider
}

/** The provider's discovered configuration; a provider that does not answer is an outage (503). */
export async function providerConfig(oidc: OidcCore, provider: ResolvedOidcProvider): Promise<client.Configuration> {
  try {
    return await oidc.clients.config(provider)
  } catch (cause) {
    throw new UpstreamUnavailableError(`The OpenID provider "${provider.name}" could not be reached.`, { cause })
  }
}

/** Where the provider sends the browser back: `{origin}{basePath}/callback/{name}`. */
export function callbackUrl(ctx: OidcFlowContext, request: Request, provider: ResolvedOidcProvider): string {
  return `${publicOriginOf(request, new URL(request.url), ctx.options)}${ctx.options.basePath}/callback/${provider.name}`
}

/** Starts a sign-in: the provider's authorization URL (code + PKCE S256 + state + nonce) and the attempt's sealed cookie. */
export async function startOidcSignIn(
  ctx: OidcFlowContext,
  oidc: OidcCore,
  input: { request: Request; provider: string; returnTo: string },
): Promise<{ url: URL; cookies: CookieInstruction[] }> {
  const provider = providerNamed(oidc, input.provider)
  const config = await providerConfig(oidc, provider)
  const state = client.randomState()
  const nonce = client.randomNonce()
  const codeVerifier = client.randomPKCECodeVerifier()
  const url = client.buildAuthorizationUrl(config, {
    ...provider.authorizationParams,
    redirect_uri: callbackUrl(ctx, input.request, provider),
    response_type: 'code',
    scope: provider.scope,
    state,
    nonce,
    code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    // DPoP: the code is bound to Baton's key too (RFC 9449 §10).
    ...(provider.dpop
      ? { dpop_jkt: await ((await oidc.clients.dpop(provider)).DPoP as client.DPoPHandle).calculateThumbprint() }
      : {}),
  })
  const now = Date.now()
  const cookie = await transactionCookie(
    oidc.sealer,
    ctx.options.cookies,
    {
      provider: provider.name,
      state,
      nonce,
      codeVerifier,
      returnTo: input.returnTo,
      expiresAt: now + TRANSACTION_TTL_SECONDS * 1000,
    },
    now,
  )
  const stale = await staleTransactions(oidc.sealer, ctx.options.cookies, input.request.headers.get('cookie'))
  return { url, cookies: [...stale, cookie] }
}

/** What a successful callback yields: the user, the provider's tokens, where to go. */
export interface OidcCallbackResult {
  user: AuthenticatedUser
  grant: UpstreamTokenSet
  returnTo: string
}

function callbackFailure(error: unknown): Error {
  if (error instanceof client.AuthorizationResponseError)
    return new OidcSignInError(error.error_description ?? `The provider answered "${error.error}".`, {
      reason: 'provider_error',
      providerError: error.error,
      cause: error,
    })
  if (isRefusal(error)) {
    const code = (error as client.ResponseBodyError).error
    return new OidcSignInError('The provider refused the sign-in code. Start again.', {
      reason: 'code_rejected',
      providerError: code,
      cause: error,
    })
  }
  if (error instanceof client.ResponseBodyError || (error as { name?: string })?.name === 'TimeoutError')
    return new UpstreamUnavailableError('The OpenID provider did not complete the sign-in. Try again.', {
      cause: error,
    })
  if (error instanceof TypeError && !(error as { code?: string }).code)
    return new UpstreamUnavailableError('The OpenID provider could not be reached. Try again.', { cause: error })
  // openid-client's checks: state, iss (RFC 9207), nonce, aud, azp, exp, signature.
  return new OidcSignInError("The provider's answer failed a check. Start again.", {
    reason: 'invalid_response',
    cause: error,
  })
}

/**
 * Finishes a sign-in at the callback: the attempt's cookie must match
 * `state`; openid-client then checks `iss`, exchanges the code with the PKCE
 * verifier and validates the ID token (issuer, audience, `azp`, expiry,
 * nonce, signature from the provider's JWKS). `clear` deletes the attempt's
 * cookie whatever the outcome.
 */
export async function finishOidcSignIn(
  ctx: OidcFlowContext,
  oidc: OidcCore,
  input: { request: Request; provider: string },
): Promise<OidcCallbackResult> {
  const provider = providerNamed(oidc, input.provider)
  const url = new URL(input.request.url)
  const state = url.searchParams.get('state') ?? ''
  const tx = state
    ? await openTransaction(oidc.sealer, ctx.options.cookies, {
        cookieHeader: input.request.headers.get('cookie'),
        state,
        provider: provider.name,
        now: Date.now(),
      })
    : null
  if (!tx) {
    throw new OidcSignInError(
      'This sign-in is unknown, expired or already finished (its cookie is gone). Start again.',
      {
        reason: 'transaction_missing',
      },
    )
  }
  const config = await providerConfig(oidc, provider)
  const redirectUri = callbackUrl(ctx, input.request, provider)
  let answer: Awaited<ReturnType<typeof client.authorizationCodeGrant>>
  try {
    answer = await client.authorizationCodeGrant(
      config,
      new URL(`${redirectUri}${url.search}`),
      { pkceCodeVerifier: tx.codeVerifier, expectedState: tx.state, expectedNonce: tx.nonce, idTokenExpected: true },
      { redirect_uri: redirectUri },
      await oidc.clients.dpop(provider),
    )
  } catch (error) {
    throw callbackFailure(error)
  }
  const claims = answer.claims() as (Record<string, unknown> & { sub: string; iss: string }) | undefined
  if (!claims) throw new OidcSignInError('The provider issued no ID token.')
  let userinfo: Record<string, unknown> | null = null
  const wanted =
    provider.userinfo === 'auto'
      ? claims.email === undefined && claims.name === undefined && !!config.serverMetadata().userinfo_endpoint
      : provider.userinfo
  if (wanted) {
    try {
      const dpop = await oidc.clients.dpop(provider)
      userinfo = { ...(await client.fetchUserInfo(config, answer.access_token, claims.sub, dpop)) }
    } catch (error) {
      throw callbackFailure(error)
    }
  }
  const user = checkUser(provider.toUser({ claims: { ...claims }, userinfo, provider: provider.name }))
  if (!user) throw new OidcSignInError('`toUser` refused this account.')
  return { user, grant: tokenSet(answer, provider.name), returnTo: tx.returnTo }
}

/** The attempt cookie's deletion for a callback request (by its `state`), or none without one. */
export function clearedTransaction(ctx: OidcFlowContext, request: Request): CookieInstruction[] {
  const state = new URL(request.url).searchParams.get('state')
  return state ? [clearTransactionCookie(ctx.options.cookies, state)] : []
}

/** A browser navigation (the provider's redirect) rather than an API call: it gets a page, not JSON. */
export function isNavigation(request: Request): boolean {
  const mode = request.headers.get('sec-fetch-mode')
  if (mode) return mode === 'navigate'
  return (request.headers.get('accept') ?? '').includes('text/html')
}

/**
 * Where a failed sign-in sends the browser: the sign-in page with
 * `?error=CODE&reason=…` and the provider's own code (`access_denied` when
 * the user cancelled), so the page can say what happened.
 */
export function failurePage(signInPath: string, error: BatonError): string {
  const query = new URLSearchParams({ error: error.code })
  if (error instanceof OidcSignInError) {
    query.set('reason', error.reason)
    if (error.providerError && /^[A-Za-z0-9_.-]{1,64}$/.test(error.providerError))
      query.set('provider_error', error.providerError)
  }
  return `${signInPath}?${query}`
}

/**
 * Where RP-initiated sign-out sends the browser: the provider's
 * `end_session_endpoint` with `post_logout_redirect_uri` (the sign-in page)
 * and, for tokens of this provider, `id_token_hint`; the sign-in page itself
 * when the provider has no such endpoint or cannot be reached (the Baton
 * session is ended either way).
 */
export async function endSessionLocation(
  ctx: OidcFlowContext,
  oidc: OidcCore,
  input: {
    request: Request
    provider: ResolvedOidcProvider
    signInPath: string
    ended: { idToken?: string | undefined; provider?: string | undefined } | null
  },
): Promise<string> {
  const postLogout = `${publicOriginOf(input.request, new URL(input.request.url), ctx.options)}${input.signInPath}`
  try {
    const config = await providerConfig(oidc, input.provider)
    if (!config.serverMetadata().end_session_endpoint) return postLogout
    const hint = input.ended?.provider === input.provider.name ? input.ended.idToken : undefined
    return client.buildEndSessionUrl(config, {
      client_id: input.provider.clientId,
      post_logout_redirect_uri: postLogout,
      ...(hint ? { id_token_hint: hint } : {}),
    }).href
  } catch {
    return postLogout
  }
}
