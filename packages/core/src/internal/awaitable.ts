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
