/**
 * Wraps an async operation so that concurrent callers share one run: while a
 * run is in flight every caller gets the same promise; once it settles the
 * next call starts a new run. This is what turns fifty parallel 401s into one
 * refresh. A failure is shared too, and is not cached.
 */
export function singleFlight<T>(operation: () => Promise<T>): () => Promise<T> {
  let inflight: Promise<T> | undefined
  return () => {
    inflight ??= Promise.resolve()
      .then(operation)
      .finally(() => {
        inflight = undefined
      })
    return inflight
  }
}
