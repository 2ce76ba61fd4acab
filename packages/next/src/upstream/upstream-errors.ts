import { BatonError, type BatonErrorOptions } from '@baton/core'

/**
 * The upstream could not be reached or answered with an outage: a timeout or
 * connection error (503) or a 5xx / malformed answer (502). The Baton session
 * is untouched: a flaky upstream never signs anyone out. Retry later.
 */
export class UpstreamUnavailableError extends BatonError {
  constructor(message = 'The upstream service is unavailable. Try again.', options?: BatonErrorOptions) {
    super('ERR_UPSTREAM_UNAVAILABLE', message, options)
    this.name = 'UpstreamUnavailableError'
  }
}

/** The upstream refused the refresh token: the Baton session has been ended; sign in again. */
export class UpstreamSessionEndedError extends BatonError {
  constructor(message = 'The upstream ended the session. Sign in again.', options?: BatonErrorOptions) {
    super('ERR_SESSION_REVOKED', message, options)
    this.name = 'UpstreamSessionEndedError'
  }
}

/** Wraps whatever a protocol function threw as an outage (a BatonError passes through). */
export function asUpstreamError(error: unknown, what: string): BatonError {
  if (error instanceof BatonError) return error
  const name = (error as { name?: string } | null)?.name
  const timedOut = name === 'TimeoutError' || name === 'AbortError'
  return new UpstreamUnavailableError(
    timedOut ? `The upstream did not answer the ${what} in time.` : `The upstream ${what} failed.`,
    { cause: error, status: 503 },
  )
}
