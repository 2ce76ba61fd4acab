import { BatonError, type BatonErrorCode } from './base.js'

/**
 * Every code, once: the compiler refuses this object when a code of
 * `BatonErrorCode` is missing or one is unknown, so the run-time list below
 * cannot drift from the type. Statuses are not written here.
 */
const CODES = Object.keys({
  ERR_BAD_REQUEST: true,
  ERR_CONFIG: true,
  ERR_CSRF: true,
  ERR_TRANSPORT_REFUSED: true,
  ERR_FORBIDDEN: true,
  ERR_INVALID_CREDENTIALS: true,
  ERR_METHOD_NOT_ALLOWED: true,
  ERR_NOT_FOUND: true,
  ERR_PAYLOAD_TOO_LARGE: true,
  ERR_UNSUPPORTED_MEDIA_TYPE: true,
  ERR_RATE_LIMITED: true,
  ERR_ACCESS_TOKEN_INVALID: true,
  ERR_ACCESS_TOKEN_EXPIRED: true,
  ERR_REFRESH_TOKEN_MISSING: true,
  ERR_REFRESH_TOKEN_INVALID: true,
  ERR_REFRESH_TOKEN_REUSED: true,
  ERR_REFRESH_DENIED: true,
  ERR_SESSION_REVOKED: true,
  ERR_SESSION_EXPIRED: true,
  ERR_UPSTREAM_SESSION_ENDED: true,
  ERR_UNAUTHENTICATED: true,
  ERR_STORE_UNAVAILABLE: true,
  ERR_UPSTREAM_UNAVAILABLE: true,
  ERR_REFRESH_ROUTE_UNAVAILABLE: true,
  ERR_NETWORK: true,
  ERR_INTERNAL: true,
} satisfies Record<BatonErrorCode, true>) as BatonErrorCode[]

/**
 * The HTTP status each code maps to, and at run time the list of Baton's
 * codes (`Object.hasOwn(STATUS_BY_CODE, code)` tells one of them from a
 * stranger's). Derived from `BatonError`'s own table (the status a `BatonError`
 * of each code gets, from `./base.ts`), so a code's status is written in one place. Server-side:
 * browsers get by with that shorter table.
 */
export const STATUS_BY_CODE: Readonly<Record<BatonErrorCode, number>> = Object.freeze(
  Object.fromEntries(CODES.map((code) => [code, new BatonError(code, code).status])) as Record<BatonErrorCode, number>,
)
