/**
 * A value, or a promise of it. On Node the refresh path's crypto answers
 * synchronously (`crypto-ops.node.ts`) and WebCrypto asynchronously; callers
 * on the hot path await only what is a promise, since every `await` (and
 * every `async` wrapper) costs a promise and a microtask, and inside a
 * framework's `AsyncLocalStorage` an async hook as well.
 */
export type Awaitable<T> = T | Promise<T>

/** True for a promise or any thenable (what `await` would wait for). */
export function isPromiseLike<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as { then?: unknown } | null | undefined)?.then === 'function'
}

/**
 * Runs `load` once, on first call. Until it settles each call answers with its
 * promise; afterwards with the value itself, so a hot path reads it without an
 * `await`. A rejection is kept (and answered again) but never reported as
 * unhandled here: it surfaces where the promise is awaited.
 */
export function loadOnce<T>(load: () => Promise<T>): () => Awaitable<T> {
  let pending: Promise<T> | undefined
  let loaded: { value: T } | undefined
  return () => {
    if (loaded) return loaded.value
    if (!pending) {
      pending = load().then((value) => {
        loaded = { value }
        return value
      })
      pending.catch(() => undefined)
    }
    return pending
  }
}
