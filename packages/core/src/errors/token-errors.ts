/** Errors about a presented access or refresh token (401). */

import { BatonError, type BatonErrorOptions } from './base.js'

/** An access token failed verification (bad signature, claims, format) (401). */
export class AccessTokenInvalidError extends BatonError {
  static readonly code = 'ERR_ACCESS_TOKEN_INVALID' as const
  declare readonly code: 'ERR_ACCESS_TOKEN_INVALID'
  constructor(message = 'The access token is invalid.', options?: BatonErrorOptions) {
    super(AccessTokenInvalidError.code, message, options)
    this.name = 'AccessTokenInvalidError'
  }
}

/** An access token was valid but has expired; refresh and retry (401). */
export class AccessTokenExpiredError extends BatonError {
  static readonly code = 'ERR_ACCESS_TOKEN_EXPIRED' as const
  declare readonly code: 'ERR_ACCESS_TOKEN_EXPIRED'
  constructor(message = 'The access token has expired.', options?: BatonErrorOptions) {
    super(AccessTokenExpiredError.code, message, options)
    this.name = 'AccessTokenExpiredError'
  }
}

/** A refresh or session call came without a refresh token (401). */
export class RefreshTokenMissingError extends BatonError {
  static readonly code = 'ERR_REFRESH_TOKEN_MISSING' as const
  declare readonly code: 'ERR_REFRESH_TOKEN_MISSING'
  constructor(message = 'No refresh token: sign in.', options?: BatonErrorOptions) {
    super(RefreshTokenMissingError.code, message, options)
    this.name = 'RefreshTokenMissingError'
  }
}

/** A refresh token is unknown, malformed or expired (401). */
export class RefreshTokenInvalidError extends BatonError {
  static readonly code = 'ERR_REFRESH_TOKEN_INVALID' as const
  declare readonly code: 'ERR_REFRESH_TOKEN_INVALID'
  constructor(message = 'The refresh token is invalid.', options?: BatonErrorOptions) {
    super(RefreshTokenInvalidError.code, message, options)
    this.name = 'RefreshTokenInvalidError'
  }
}

/** A used refresh token came back after the grace window: the session is revoked (401). */
export class RefreshTokenReusedError extends BatonError {
  static readonly code = 'ERR_REFRESH_TOKEN_REUSED' as const
  declare readonly code: 'ERR_REFRESH_TOKEN_REUSED'
  constructor(
    message = 'The refresh token was already used; the session has been revoked.',
    options?: BatonErrorOptions,
  ) {
    super(RefreshTokenReusedError.code, message, options)
    this.name = 'RefreshTokenReusedError'
  }
}

/** The application's `checkRefresh` refused the refresh; the session ends (401). */
export class RefreshDeniedError extends BatonError {
  static readonly code = 'ERR_REFRESH_DENIED' as const
  declare readonly code: 'ERR_REFRESH_DENIED'
  constructor(message = 'The refresh was refused by the application.', options?: BatonErrorOptions) {
    super(RefreshDeniedError.code, message, options)
    this.name = 'RefreshDeniedError'
  }
}
