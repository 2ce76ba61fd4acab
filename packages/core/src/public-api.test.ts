// `@baton/core`'s root exports what an app needs and no more (issue 15): a name added here is a
// public API decision; helpers Baton's own packages share go to `@baton/core/internal`.
import { describe, expect, it } from 'vitest'
import * as root from './index.js'
import * as internal from './internal.js'

describe('@baton/core root', () => {
  it('exports exactly the app-facing runtime names', () => {
    expect(Object.keys(root).sort()).toEqual(
      [
        'AccessTokenExpiredError',
        'AccessTokenInvalidError',
        'BadRequestError',
        'BatonError',
        'ConfigError',
        'CsrfError',
        'ForbiddenError',
        'InternalError',
        'InvalidCredentialsError',
        'MemorySessionStore',
        'MethodNotAllowedError',
        'NetworkError',
        'NotFoundError',
        'OidcSignInError',
        'PayloadTooLargeError',
        'RateLimitedError',
        'RefreshDeniedError',
        'RefreshRouteUnavailableError',
        'RefreshTokenInvalidError',
        'RefreshTokenMissingError',
        'RefreshTokenReusedError',
        'RevocationSet',
        'SessionExpiredError',
        'SessionRevokedError',
        'StoreUnavailableError',
        'TransportRefusedError',
        'UnauthenticatedError',
        'UnsupportedMediaTypeError',
        'UpstreamSessionEndedError',
        'UpstreamUnavailableError',
        'createSessionEngine',
        'generateSigningKey',
        'isBatonError',
        'memoryRevocationHub',
        'systemClock',
      ].sort(),
    )
  })

  it('keeps encoding, signing and minting helpers out of it (they are in @baton/core/internal)', () => {
    for (const name of [
      'sha256',
      'base64url',
      'signAccessToken',
      'verifyAccessToken',
      'MAX_GRACE_HOPS',
      'STATUS_BY_CODE',
    ]) {
      expect(root).not.toHaveProperty(name)
      expect(internal).toHaveProperty(name)
    }
  })
})
