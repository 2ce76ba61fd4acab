/**
 * Every error Baton raises: `BatonError` with a stable `ERR_…` code and the
 * HTTP status an adapter should answer with, and one subclass per code. The
 * classes live in `./errors/`, grouped by concern; this module gathers them
 * for `@baton/core` and `@baton/core/verify`.
 */
export { BatonError, type BatonErrorCode, type BatonErrorOptions, isBatonError } from './errors/base.js'
export {
  InvalidCredentialsError,
  SessionExpiredError,
  SessionRevokedError,
  UnauthenticatedError,
  UpstreamSessionEndedError,
} from './errors/credential-errors.js'
export { OidcSignInError, type OidcSignInFailure } from './errors/oidc-errors.js'
export {
  BadRequestError,
  CsrfError,
  ForbiddenError,
  MethodNotAllowedError,
  NotFoundError,
  PayloadTooLargeError,
  RateLimitedError,
  TransportRefusedError,
  UnsupportedMediaTypeError,
} from './errors/request-errors.js'
export {
  ConfigError,
  InternalError,
  NetworkError,
  RefreshRouteUnavailableError,
  StoreUnavailableError,
  UpstreamUnavailableError,
} from './errors/service-errors.js'
export { STATUS_BY_CODE } from './errors/status-by-code.js'
export {
  AccessTokenExpiredError,
  AccessTokenInvalidError,
  RefreshDeniedError,
  RefreshTokenInvalidError,
  RefreshTokenMissingError,
  RefreshTokenReusedError,
} from './errors/token-errors.js'
