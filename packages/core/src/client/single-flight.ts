/** A function whose concurrent calls share one run, and the run in flight, if any. */
export interface SingleFlight<T> {
  (): Promise<T>
  /** The run in flight (what a call made now would join), or undefined. */
  readonly pending: Promise<T> | undefined
}

/**
 * Wraps an async operation so that concurrent callers share one run: while a
 * run is in flight every caller gets the same promise; once it settles the
 * next call starts a new run. This is what turns fifty parallel 401s into one
 * refresh. A failure is shared too, and is not cached.
 */
export function singleFlight<T>(operation: () => Promise<T>): SingleFlight<T> {
  let inflight: Promise<T> | undefined
  const run = () => {
    inflight ??= Promise.resolve()
      .then(operation)
      .finally(() => {
        inflight = undefined
      })
    return inflight
  }
  return Object.defineProperty(run, 'pending', { get: () => inflight }) as SingleFlight<T>
}
