import { BatonError, UpstreamUnavailableError } from '../../index.js'

// The classes live in @baton/core with the other codes; @baton/next re-exports them where it always did.
export { UpstreamSessionEndedError, UpstreamUnavailableError } from '../../index.js'

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
