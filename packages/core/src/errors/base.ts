/**
 * The base of Baton's errors: a stable `ERR_…` code and the HTTP status an
 * adapter should answer with. Callers `switch (err.code)`; the message is for
 * humans and may change between versions. Each code has its own subclass
 * (`CsrfError`, `SessionRevokedError`…) with the code both static and on the
 * instance, as in jose.
 *
 * Browser-safe and free of module-level side effects: `@baton/core/client`
 * re-exports it, and bundlers drop every class an app does not use.
 */

/** Stable error codes. Adding one is a minor change; renaming one is breaking. */
export type BatonErrorCode =
  | 'ERR_BAD_REQUEST'
  | 'ERR_CONFIG'
  | 'ERR_CSRF'
  | 'ERR_TRANSPORT_REFUSED'
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
  | 'ERR_UPSTREAM_SESSION_ENDED'
  | 'ERR_UNAUTHENTICATED'
  | 'ERR_STORE_UNAVAILABLE'
  | 'ERR_UPSTREAM_UNAVAILABLE'
  | 'ERR_REFRESH_ROUTE_UNAVAILABLE'
  | 'ERR_NETWORK'
  | 'ERR_INTERNAL'
  | 'ERR_OIDC_SIGN_IN'

/** Options accepted by every Baton error constructor. */
export interface BatonErrorOptions {
  /** The underlying error, kept for logs; never sent to clients. */
  cause?: unknown
  /** Overrides the status that goes with the code (e.g. 502 vs 503 upstream). */
  status?: number
}

/**
 * Base class of every error Baton throws. Throw a subclass (`new CsrfError()`);
 * the base stays constructible for a code known only at run time, such as one
 * read from a server's answer.
 */
export class BatonError extends Error {
  /** The stable machine-readable code. */
  declare readonly code: BatonErrorCode
  /** The HTTP status an adapter answers with. */
  declare readonly status: number

  constructor(code: BatonErrorCode, message: string, options: BatonErrorOptions = {}) {
    // `Error` takes only `cause` from the options (and only when it is there).
    super(message, options)
    this.name = 'BatonError'
    this.code = code
    // Each subclass passes its own status ("authentication failed", 401, unless it says otherwise).
    this.status = options.status ?? 401
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
