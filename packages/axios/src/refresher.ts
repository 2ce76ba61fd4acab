import { singleFlight, UnauthenticatedError } from '@baton/core/client'

/**
 * Gets a new access token; resolves to null or undefined when there is no session. Called with
 * `{ cause: 'axios' }`, which `AuthClient.refresh` reports to its events (dev tools show it); a
 * function of your own may ignore it.
 */
export type RefreshFunction = (options: { cause: 'axios' }) => Promise<string | null | undefined>

/** One refresh at a time, shared by every `withBaton` instance that is given it. */
export interface Refresher {
  /**
   * Starts a refresh, or joins the one in flight. Resolves with the new access
   * token; rejects with the refresh's error, or with
   * `UnauthenticatedError` (`ERR_UNAUTHENTICATED`) when it resolved without a token.
   */
  refresh(): Promise<string>
  /** The refresh in flight, if any: requests sent meanwhile wait for it. */
  readonly pending: Promise<string> | undefined
}

/**
 * True while a refresh function runs synchronously: a request it makes then
 * (its own call to the refresh endpoint, through an instance with Baton on it)
 * must neither wait for the refresh nor trigger one.
 */
export const inside = { refresh: false }

/**
 * Wraps `refresh` so that concurrent callers share one run (single flight):
 * fifty 401s, on one axios instance or several, make one refresh call. A
 * failure reaches every caller of that run and is not cached: the next call
 * after it starts a new run.
 */
export function createRefresher(refresh: RefreshFunction): Refresher {
  const run = singleFlight(async () => {
    inside.refresh = true
    let call: ReturnType<RefreshFunction>
    try {
      call = refresh({ cause: 'axios' })
    } finally {
      inside.refresh = false
    }
    const token = await call
    if (!token) throw new UnauthenticatedError('No session: refresh() returned no token.')
    return token
  })
  return {
    refresh: run,
    get pending() {
      return run.pending
    },
  }
}
