/**
 * Errors about who is signed in (401): wrong credentials, no session, or a
 * session that is over. The client signs out on any of them.
 */

import { BatonError, type BatonErrorOptions } from './base.js'

/** Sign-in was refused: the credentials are wrong (401). */
export class InvalidCredentialsError extends BatonError {
  static readonly code = 'ERR_INVALID_CREDENTIALS' as const
  declare readonly code: 'ERR_INVALID_CREDENTIALS'
  constructor(message = 'The email or password is incorrect.', options?: BatonErrorOptions) {
    super(InvalidCredentialsError.code, message, options)
    this.name = 'InvalidCredentialsError'
  }
}

/** No session or access token came with a request that needs one (401). */
export class UnauthenticatedError extends BatonError {
  static readonly code = 'ERR_UNAUTHENTICATED' as const
  declare readonly code: 'ERR_UNAUTHENTICATED'
  constructor(message = 'Sign in to continue.', options?: BatonErrorOptions) {
    super(UnauthenticatedError.code, message, options)
    this.name = 'UnauthenticatedError'
  }
}

/** The session was revoked (sign-out, device revoke, reuse) (401). */
export class SessionRevokedError extends BatonError {
  static readonly code = 'ERR_SESSION_REVOKED' as const
  declare readonly code: 'ERR_SESSION_REVOKED'
  constructor(message = 'The session has been revoked.', options?: BatonErrorOptions) {
    super(SessionRevokedError.code, message, options)
    this.name = 'SessionRevokedError'
  }
}

/** The session passed its idle or absolute lifetime (401). */
export class SessionExpiredError extends BatonError {
  static readonly code = 'ERR_SESSION_EXPIRED' as const
  declare readonly code: 'ERR_SESSION_EXPIRED'
  constructor(message = 'The session has expired.', options?: BatonErrorOptions) {
    super(SessionExpiredError.code, message, options)
    this.name = 'SessionExpiredError'
  }
}

/** Upstream mode: the upstream refused the refresh token (or none is left), so the Baton
 * session has been ended; sign in again (401). */
export class UpstreamSessionEndedError extends BatonError {
  static readonly code = 'ERR_UPSTREAM_SESSION_ENDED' as const
  declare readonly code: 'ERR_UPSTREAM_SESSION_ENDED'
  constructor(message = 'The upstream ended the session. Sign in again.', options?: BatonErrorOptions) {
    super(UpstreamSessionEndedError.code, message, options)
    this.name = 'UpstreamSessionEndedError'
  }
}
