import { BatonError, type BatonErrorOptions } from './base.js'

/** Why a sign-in through an OpenID provider failed; `OidcSignInError.reason`. */
export type OidcSignInFailure =
  /** The provider answered with an error (`access_denied`, `login_required`…): see `providerError`. */
  | 'provider_error'
  /**
   * No sign-in attempt matches the callback's `state`: the attempt's cookie is missing or expired, the
   * callback was replayed, or `state` was altered (each attempt's cookie is found by its `state`).
   */
  | 'transaction_missing'
  /** The callback or the tokens failed a check: `iss`, `nonce`, audience, `azp`, signature, expiry. */
  | 'invalid_response'
  /** The provider refused the code (already used, expired, another client's). */
  | 'code_rejected'

/**
 * A sign-in through an OpenID provider failed (400); nobody was signed in.
 * `reason` says which step, `providerError` carries the provider's own
 * `error` code when there is one. Start the sign-in again.
 */
export class OidcSignInError extends BatonError {
  static readonly code = 'ERR_OIDC_SIGN_IN' as const
  declare readonly code: 'ERR_OIDC_SIGN_IN'
  readonly reason: OidcSignInFailure
  readonly providerError: string | null
  constructor(
    message = 'The sign-in with the provider failed. Start again.',
    options?: BatonErrorOptions & { reason?: OidcSignInFailure; providerError?: string | null },
  ) {
    super(OidcSignInError.code, message, { status: 400, ...options })
    this.name = 'OidcSignInError'
    this.reason = options?.reason ?? 'invalid_response'
    this.providerError = options?.providerError ?? null
  }

  /** `{ error: { code, message, reason, providerError } }`. */
  override toJSON(): {
    error: { code: 'ERR_OIDC_SIGN_IN'; message: string; reason: OidcSignInFailure; providerError: string | null }
  } {
    return { error: { code: this.code, message: this.message, reason: this.reason, providerError: this.providerError } }
  }
}
