import { STATUS_BY_CODE } from '../../errors/status-by-code.js'
import { BatonError, InternalError, isBatonError } from '../../verify.js'
import { type CookieInstruction, toSetCookie } from '../cookies/set-cookie.js'

/** Headers on every auth response: never cached, never sniffed, never framed. */
const BASE_HEADERS: Record<string, string> = {
  'cache-control': 'no-store',
  pragma: 'no-cache',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
}

/** A JSON response with Baton's security headers and any `Set-Cookie` values. */
export function json(
  body: unknown,
  init: { status?: number; headers?: Record<string, string>; cookies?: readonly CookieInstruction[] } = {},
): Response {
  const headers = new Headers({ 'content-type': 'application/json; charset=utf-8', ...BASE_HEADERS, ...init.headers })
  for (const cookie of init.cookies ?? []) headers.append('set-cookie', toSetCookie(cookie))
  return new Response(JSON.stringify(body), { status: init.status ?? 200, headers })
}

/** A redirect (302 to a provider, 303 after a form or a callback) with the same headers and any cookies. */
export function redirectResponse(
  location: string,
  status: 302 | 303,
  cookies: readonly CookieInstruction[] = [],
): Response {
  const headers = new Headers({ ...BASE_HEADERS, location })
  for (const cookie of cookies) headers.append('set-cookie', toSetCookie(cookie))
  return new Response(null, { status, headers })
}

/** An empty response with the same headers. */
export function empty(status: number, cookies: readonly CookieInstruction[] = []): Response {
  const headers = new Headers(BASE_HEADERS)
  for (const cookie of cookies) headers.append('set-cookie', toSetCookie(cookie))
  return new Response(null, { status, headers })
}

/**
 * The error response: `{ error: { code, message } }` with the error's status.
 * Anything that is not a BatonError is logged and answered as 503
 * `ERR_INTERNAL`, a "try again" that keeps the client's session, rather than
 * leaking a 500 with internals; configuration errors are the one 500.
 */
export function errorResponse(
  error: unknown,
  init: { cookies?: readonly CookieInstruction[]; headers?: Record<string, string> } = {},
): Response {
  const baton = isBatonError(error) ? error : unexpected(error)
  const headers: Record<string, string> = { ...init.headers }
  if (baton.code === 'ERR_CONFIG') {
    console.error('[baton] configuration error', baton)
    return json(
      { error: { code: baton.code, message: 'The server is misconfigured; see its log.' } },
      { status: 500, headers },
    )
  }
  if (baton.code === 'ERR_RATE_LIMITED' && 'retryAfter' in baton) headers['retry-after'] = String(baton.retryAfter)
  if (baton.code === 'ERR_UNAUTHENTICATED' || baton.code === 'ERR_REFRESH_TOKEN_MISSING')
    headers['www-authenticate'] = 'Bearer realm="baton"'
  if (baton.code === 'ERR_ACCESS_TOKEN_EXPIRED' || baton.code === 'ERR_ACCESS_TOKEN_INVALID') {
    const description =
      baton.code === 'ERR_ACCESS_TOKEN_EXPIRED' ? 'The access token expired' : 'The access token is invalid'
    headers['www-authenticate'] = `Bearer error="invalid_token", error_description="${description}"`
  }
  return json(baton.toJSON(), { status: statusOf(baton), headers, cookies: init.cookies ?? [] })
}

/**
 * The error's status. Each class carries its own; a bare `new BatonError(code, …)` (an app's
 * `authenticate` may throw one) without a status gets 401 from the constructor, so here, where
 * the full table is at hand, it gets its code's status instead.
 */
function statusOf(error: BatonError): number {
  if (error.constructor !== BatonError || error.status !== 401) return error.status
  return Object.hasOwn(STATUS_BY_CODE, error.code) ? STATUS_BY_CODE[error.code] : 401
}

function unexpected(error: unknown): BatonError {
  console.error('[baton] unexpected error while handling an auth request', error)
  return new InternalError(undefined, { cause: error })
}
