/**
 * Every error Baton raises is a `BatonError` with a stable `ERR_…` code and the
 * HTTP status an adapter should answer with. Callers `switch (err.code)`; the
 * message is for humans and may change between versions.
 *
 * This module is browser-safe: `@baton/core/client` re-exports it.
 */

/** Stable error codes. Adding one is a minor change; renaming one is breaking. */
export type BatonErrorCode =
  | 'ERR_BAD_REQUEST'
  | 'ERR_CONFIG'
  | 'ERR_CSRF'
  | 'ERR_FORBIDDEN'
  | 'ERR_INVALID_CREDENTIALS'
  | 'ERR_METHOD_NOT_ALLOWED'
  | 'ERR_NOT_FOUND'
  | 'ERR_PAYLOAD_TOO_LARGE'
  | 'ERR_UNSUPPORTED_MEDIA_TYPE'
  | 'ERR_RATE_LIMITED'
  | 'ERR_ACCESS_TOKEN_INVALID'
  | 'ERR_ACCESS_TOKEN_EXPIRED'
  | 'ERR_REFRESH_TOKEN_MISSING'
  | 'ERR_REFRESH_TOKEN_INVALID'
  | 'ERR_REFRESH_TOKEN_REUSED'
  | 'ERR_REFRESH_DENIED'
  | 'ERR_SESSION_REVOKED'
  | 'ERR_SESSION_EXPIRED'
  | 'ERR_UNAUTHENTICATED'
  | 'ERR_STORE_UNAVAILABLE'
  | 'ERR_UPSTREAM_UNAVAILABLE'
  | 'ERR_NETWORK'

/** The HTTP status each code maps to. */
export const STATUS_BY_CODE: Readonly<Record<BatonErrorCode, number>> = {
  ERR_BAD_REQUEST: 400,
  ERR_CONFIG: 500,
  ERR_CSRF: 403,
  ERR_FORBIDDEN: 403,
  ERR_INVALID_CREDENTIALS: 401,
  ERR_METHOD_NOT_ALLOWED: 405,
  ERR_NOT_FOUND: 404,
  ERR_PAYLOAD_TOO_LARGE: 413,
  ERR_UNSUPPORTED_MEDIA_TYPE: 415,
  ERR_RATE_LIMITED: 429,
  ERR_ACCESS_TOKEN_INVALID: 401,
  ERR_ACCESS_TOKEN_EXPIRED: 401,
  ERR_REFRESH_TOKEN_MISSING: 401,
  ERR_REFRESH_TOKEN_INVALID: 401,
  ERR_REFRESH_TOKEN_REUSED: 401,
  ERR_REFRESH_DENIED: 401,
  ERR_SESSION_REVOKED: 401,
  ERR_SESSION_EXPIRED: 401,
  ERR_UNAUTHENTICATED: 401,
  ERR_STORE_UNAVAILABLE: 503,
  ERR_UPSTREAM_UNAVAILABLE: 503,
  ERR_NETWORK: 503,
}

/** Options accepted by every Baton error constructor. */
export interface BatonErrorOptions {
  /** The underlying error, kept for logs; never sent to clients. */
  cause?: unknown
  /** Overrides the status derived from the code (e.g. 502 vs 503 upstream). */
  status?: number
}

/** Base class of every error Baton throws. */
export class BatonError extends Error {
  /** The stable machine-readable code. */
  readonly code: BatonErrorCode
  /** The HTTP status an adapter answers with. */
  readonly status: number

  constructor(code: BatonErrorCode, message: string, options: BatonErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'BatonError'
    this.code = code
    this.status = options.status ?? STATUS_BY_CODE[code]
  }

  /** The JSON body adapters send: `{ error: { code, message } }`. */
  toJSON(): { error: { code: BatonErrorCode; message: string } } {
    return { error: { code: this.code, message: this.message } }
  }
}

/** True when `value` is a BatonError, optionally with the given code. */
export function isBatonError(value: unknown, code?: BatonErrorCode): value is BatonError {
  return value instanceof BatonError && (code === undefined || value.code === code)
}

/** The configuration is invalid; thrown at startup, never for client input. */
export class ConfigError extends BatonError {
  constructor(message: string, options?: BatonErrorOptions) {
    super('ERR_CONFIG', message, options)
    this.name = 'ConfigError'
  }
}

/** An access token failed verification (bad signature, claims, format). */
export class AccessTokenInvalidError extends BatonError {
  constructor(message = 'The access token is invalid.', options?: BatonErrorOptions) {
    super('ERR_ACCESS_TOKEN_INVALID', message, options)
    this.name = 'AccessTokenInvalidError'
  }
}

/** An access token was valid but has expired; refresh and retry. */
export class AccessTokenExpiredError extends BatonError {
  constructor(message = 'The access token has expired.', options?: BatonErrorOptions) {
    super('ERR_ACCESS_TOKEN_EXPIRED', message, options)
    this.name = 'AccessTokenExpiredError'
  }
}

/** A refresh token is unknown, malformed or expired. */
export class RefreshTokenInvalidError extends BatonError {
  constructor(message = 'The refresh token is invalid.', options?: BatonErrorOptions) {
    super('ERR_REFRESH_TOKEN_INVALID', message, options)
    this.name = 'RefreshTokenInvalidError'
  }
}

/** A used refresh token came back after the grace window: the session is revoked. */
export class RefreshTokenReusedError extends BatonError {
  constructor(
    message = 'The refresh token was already used; the session has been revoked.',
    options?: BatonErrorOptions,
  ) {
    super('ERR_REFRESH_TOKEN_REUSED', message, options)
    this.name = 'RefreshTokenReusedError'
  }
}

/** The session was revoked (sign-out, device revoke, reuse). */
export class SessionRevokedError extends BatonError {
  constructor(message = 'The session has been revoked.', options?: BatonErrorOptions) {
    super('ERR_SESSION_REVOKED', message, options)
    this.name = 'SessionRevokedError'
  }
}

/** The session passed its idle or absolute lifetime. */
export class SessionExpiredError extends BatonError {
  constructor(message = 'The session has expired.', options?: BatonErrorOptions) {
    super('ERR_SESSION_EXPIRED', message, options)
    this.name = 'SessionExpiredError'
  }
}

/** Too many attempts; `retryAfter` is in seconds. */
export class RateLimitedError extends BatonError {
  readonly retryAfter: number
  constructor(retryAfter: number, message = 'Too many attempts. Try again later.') {
    super('ERR_RATE_LIMITED', message)
    this.name = 'RateLimitedError'
    this.retryAfter = Math.max(1, Math.ceil(retryAfter))
  }
}

/** The session store failed (connection, lock timeout); the session is untouched. */
export class StoreUnavailableError extends BatonError {
  constructor(message = 'The session store is unavailable.', options?: BatonErrorOptions) {
    super('ERR_STORE_UNAVAILABLE', message, options)
    this.name = 'StoreUnavailableError'
  }
}
