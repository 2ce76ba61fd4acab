import { BatonError, isBatonError } from '@baton/core/client'

/**
 * The refresh that a 401 called for failed, so the request was not retried.
 * Every request that waited on that refresh rejects with its own
 * `AuthFailureError` (`cause`: the request's axios error); they share
 * `refreshError`.
 *
 * `code` is the refresh error's code when it is a `BatonError`, else
 * `ERR_UNAUTHENTICATED`; `status` is the refresh error's (else 401), so `status === 401` means
 * the session is gone, while `503` (`ERR_NETWORK`, `ERR_UPSTREAM_UNAVAILABLE`,
 * …) means the refresh could not get through and the session may be alive.
 */
export class AuthFailureError extends BatonError {
  /** What the refresh rejected with; an `UnauthenticatedError` when it returned no token. */
  readonly refreshError: unknown

  constructor(refreshError: unknown, options?: { cause?: unknown }) {
    // The refresh error's code and status (a 503 outage stays a 503); anything else is a 401.
    const baton = isBatonError(refreshError) ? refreshError : null
    super(baton?.code ?? 'ERR_UNAUTHENTICATED', 'The session could not be refreshed.', {
      ...options,
      status: baton?.status ?? 401,
    })
    this.name = 'AuthFailureError'
    this.refreshError = refreshError
  }
}
