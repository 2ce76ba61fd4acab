import type { BatonErrorCode } from './base.js'

/**
 * The HTTP status each code maps to, and at run time the list of Baton's
 * codes (`Object.hasOwn(STATUS_BY_CODE, code)` tells one of them from a
 * stranger's). Server-side: browsers get by with `BatonError`'s shorter table.
 */
export const STATUS_BY_CODE: Readonly<Record<BatonErrorCode, number>> = {
  ERR_BAD_REQUEST: 400,
  ERR_INVALID_CREDENTIALS: 401,
  ERR_ACCESS_TOKEN_INVALID: 401,
  ERR_ACCESS_TOKEN_EXPIRED: 401,
  ERR_REFRESH_TOKEN_MISSING: 401,
  ERR_REFRESH_TOKEN_INVALID: 401,
  ERR_REFRESH_TOKEN_REUSED: 401,
  ERR_REFRESH_DENIED: 401,
  ERR_SESSION_REVOKED: 401,
  ERR_SESSION_EXPIRED: 401,
  ERR_UPSTREAM_SESSION_ENDED: 401,
  ERR_UNAUTHENTICATED: 401,
  ERR_TOKEN_TRANSPORT_REFUSED: 400,
  ERR_CSRF: 403,
  ERR_FORBIDDEN: 403,
  ERR_NOT_FOUND: 404,
  ERR_METHOD_NOT_ALLOWED: 405,
  ERR_PAYLOAD_TOO_LARGE: 413,
  ERR_UNSUPPORTED_MEDIA_TYPE: 415,
  ERR_RATE_LIMITED: 429,
  ERR_CONFIG: 500,
  ERR_STORE_UNAVAILABLE: 503,
  ERR_UPSTREAM_UNAVAILABLE: 503,
  ERR_REFRESH_ROUTE_UNAVAILABLE: 503,
  ERR_NETWORK: 503,
  // A 5xx, so that clients keep the session and try again; the cause stays in the server's log.
  ERR_INTERNAL: 503,
}
