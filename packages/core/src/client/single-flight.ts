/** A function whose concurrent calls share one run, and the run in flight, if any. */
export interface SingleFlight<T, A = void> {
  /** Starts a run with `arg`, or joins the one in flight (whose `arg` was its first caller's). */
  (arg: A): Promise<T>
  /** The run in flight (what a call made now would join), or undefined. */
  readonly pending: Promise<T> | undefined
}

/**
 * Wraps an async operation so that concurrent callers share one run: while a
 * run is in flight every caller gets the same promise; once it settles the
 * next call starts a new run. This is what turns fifty parallel 401s into one
 * refresh. A failure is shared too, and is not cached. A run gets the
 * argument of the call that started it (say, what caused a refresh).
 */
export function singleFlight<T, A = void>(operation: (arg: A) => Promise<T>): SingleFlight<T, A> {
  let inflight: Promise<T> | undefined
  const run = (arg: A) => {
    inflight ??= Promise.resolve(arg)
      .then(operation)
      .finally(() => {
        inflight = undefined
      })
    return inflight
  }
  return Object.defineProperty(run, 'pending', { get: () => inflight }) as SingleFlight<T, A>
}
