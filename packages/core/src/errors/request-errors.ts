/**
 * Refusals of a malformed or unwelcome request (4xx other than 401): the
 * client must change the request, not retry it.
 */

import { BatonError, type BatonErrorOptions } from './base.js'

/** The request is malformed: a bad body, field, header or host (400). */
export class BadRequestError extends BatonError {
  static readonly code = 'ERR_BAD_REQUEST' as const
  declare readonly code: 'ERR_BAD_REQUEST'
  constructor(message = 'The request is malformed.', options?: BatonErrorOptions) {
    super(BadRequestError.code, message, { status: 400, ...options })
    this.name = 'BadRequestError'
  }
}

/** A state-changing request came from another origin (403). */
export class CsrfError extends BatonError {
  static readonly code = 'ERR_CSRF' as const
  declare readonly code: 'ERR_CSRF'
  constructor(message = 'Cross-site request refused.', options?: BatonErrorOptions) {
    super(CsrfError.code, message, { status: 403, ...options })
    this.name = 'CsrfError'
  }
}

/**
 * A request asked for the token transport (`X-Baton-Transport: token`: tokens
 * in the JSON body, no cookies) where the app has not turned it on
 * (`tokenTransport: true`), or mixed it with Baton's cookies (400).
 */
export class TransportRefusedError extends BatonError {
  static readonly code = 'ERR_TRANSPORT_REFUSED' as const
  declare readonly code: 'ERR_TRANSPORT_REFUSED'
  constructor(message = 'The token transport is refused here.', options?: BatonErrorOptions) {
    super(TransportRefusedError.code, message, { status: 400, ...options })
    this.name = 'TransportRefusedError'
  }
}

/** The caller is signed in but may not do this (403). */
export class ForbiddenError extends BatonError {
  static readonly code = 'ERR_FORBIDDEN' as const
  declare readonly code: 'ERR_FORBIDDEN'
  constructor(message = 'You may not do this.', options?: BatonErrorOptions) {
    super(ForbiddenError.code, message, { status: 403, ...options })
    this.name = 'ForbiddenError'
  }
}

/** No such route, session or key (404). */
export class NotFoundError extends BatonError {
  static readonly code = 'ERR_NOT_FOUND' as const
  declare readonly code: 'ERR_NOT_FOUND'
  constructor(message = 'Not found.', options?: BatonErrorOptions) {
    super(NotFoundError.code, message, { status: 404, ...options })
    this.name = 'NotFoundError'
  }
}

/** The route exists but not for this HTTP method (405). */
export class MethodNotAllowedError extends BatonError {
  static readonly code = 'ERR_METHOD_NOT_ALLOWED' as const
  declare readonly code: 'ERR_METHOD_NOT_ALLOWED'
  constructor(message = 'This method is not allowed here.', options?: BatonErrorOptions) {
    super(MethodNotAllowedError.code, message, { status: 405, ...options })
    this.name = 'MethodNotAllowedError'
  }
}

/** The request body is over the size limit (413). */
export class PayloadTooLargeError extends BatonError {
  static readonly code = 'ERR_PAYLOAD_TOO_LARGE' as const
  declare readonly code: 'ERR_PAYLOAD_TOO_LARGE'
  constructor(message = 'The body is too large.', options?: BatonErrorOptions) {
    super(PayloadTooLargeError.code, message, { status: 413, ...options })
    this.name = 'PayloadTooLargeError'
  }
}

/** The body is not `application/json` (415). */
export class UnsupportedMediaTypeError extends BatonError {
  static readonly code = 'ERR_UNSUPPORTED_MEDIA_TYPE' as const
  declare readonly code: 'ERR_UNSUPPORTED_MEDIA_TYPE'
  constructor(message = 'Send the body as application/json.', options?: BatonErrorOptions) {
    super(UnsupportedMediaTypeError.code, message, { status: 415, ...options })
    this.name = 'UnsupportedMediaTypeError'
  }
}
/** Too many attempts (429); `retryAfter` is in seconds and goes out as `Retry-After`. */
export class RateLimitedError extends BatonError {
  static readonly code = 'ERR_RATE_LIMITED' as const
  declare readonly code: 'ERR_RATE_LIMITED'
  /** Seconds until the next attempt may succeed (at least 1). */
  readonly retryAfter: number
  constructor(retryAfter: number, message = 'Too many attempts. Try again later.', options?: BatonErrorOptions) {
    super(RateLimitedError.code, message, { status: 429, ...options })
    this.name = 'RateLimitedError'
    this.retryAfter = Math.max(1, Math.ceil(retryAfter))
  }
}
