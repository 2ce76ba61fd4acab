import { CanceledError, type InternalAxiosRequestConfig } from 'axios'

/**
 * Waits for `promise` on behalf of one request: rejects with axios's
 * `CanceledError` as soon as the request's `signal` aborts (at once if it
 * already has), leaving `promise` itself, shared with other requests, alone.
 */
export function abortable<T>(promise: Promise<T>, config: InternalAxiosRequestConfig): Promise<T> {
  const signal = config.signal
  if (!signal?.addEventListener) return promise
  return new Promise<T>((resolve, reject) => {
    const abort = () => reject(new CanceledError(undefined, config))
    if (signal.aborted) return abort()
    signal.addEventListener?.('abort', abort)
    promise.then(resolve, reject).finally(() => signal.removeEventListener?.('abort', abort))
  })
}
