import { BatonError, type BatonErrorCode, isBatonError } from '../errors/base.js'
import { NetworkError } from '../errors/service-errors.js'
import type { AuthError, ClientSession } from './auth-types.js'
import { isTransient, parseRetryAfter } from './retry-policy.js'

/** A failed call: the server's code, message and status, and its `Retry-After` (ms) when it sent one. */
export type RequestError = BatonError & { retryAfter?: number }

/** Calls one of the auth routes; resolves to its JSON body, rejects with a {@link RequestError}. */
export type AuthRequest = (path: string, init?: RequestInit) => Promise<ClientSession>

/** Codes for answers without Baton's JSON error body (a framework's or proxy's own error page). */
const CODE_BY_STATUS: Readonly<Record<number, BatonErrorCode>> = {
  401: 'ERR_UNAUTHENTICATED',
  404: 'ERR_NOT_FOUND',
  405: 'ERR_METHOD_NOT_ALLOWED',
}

/**
 * Returns the function that calls `{base}{path}` with the page's cookies
 * (`credentials: 'include'`, so a `base` on another origin gets them too) and JSON
 * headers. No answer is `ERR_NETWORK`; an error answer is a BatonError with
 * the server's code (or one fitting its status) and status, plus its
 * `Retry-After` (sent with a 429 or 503), if any.
 */
export function authRequest(base: string, getFetch: () => typeof fetch, now: () => number): AuthRequest {
  return async (path, init = {}) => {
    let response: Response
    try {
      response = await getFetch()(base + path, {
        // A `basePath` on another origin (an SPA calling its API) needs the cookies sent there too;
        // on the page's own origin `include` is the same as `same-origin`.
        credentials: 'include',
        ...init,
        headers: { accept: 'application/json', ...(init.body ? { 'content-type': 'application/json' } : {}) },
      })
    } catch (cause) {
      throw new NetworkError(undefined, { cause })
    }
    const body = await response.json().catch(() => null)
    if (response.ok) return body
    const { status } = response
    const code =
      body?.error?.code ?? CODE_BY_STATUS[status] ?? (isTransient(status) ? 'ERR_NETWORK' : 'ERR_BAD_REQUEST')
    const error: RequestError = new BatonError(code, body?.error?.message ?? `HTTP ${status}`, { status })
    // Sent with 429 and 503; honoured only where the client retries (no answer, 5xx, 408, 429).
    error.retryAfter = parseRetryAfter(response.headers?.get('retry-after'), now())
    throw error
  }
}

/** The UI's view of any failure: `{ code, message, status }`. */
export function toAuthError(error: unknown): AuthError {
  const { code, message, status } = isBatonError(error) ? error : new NetworkError(String(error))
  return { code, message, status }
}
