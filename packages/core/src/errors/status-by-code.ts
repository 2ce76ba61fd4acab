import type { BatonError, BatonErrorCode } from './base.js'
import {
  InvalidCredentialsError,
  SessionExpiredError,
  SessionRevokedError,
  UnauthenticatedError,
  UpstreamSessionEndedError,
} from './credential-errors.js'
import { OidcSignInError } from './oidc-errors.js'
import {
  BadRequestError,
  CsrfError,
  ForbiddenError,
  MethodNotAllowedError,
  NotFoundError,
  PayloadTooLargeError,
  RateLimitedError,
  TransportRefusedError,
  UnsupportedMediaTypeError,
} from './request-errors.js'
import {
  ConfigError,
  InternalError,
  NetworkError,
  RefreshRouteUnavailableError,
  StoreUnavailableError,
  UpstreamUnavailableError,
} from './service-errors.js'
import {
  AccessTokenExpiredError,
  AccessTokenInvalidError,
  RefreshDeniedError,
  RefreshTokenInvalidError,
  RefreshTokenMissingError,
  RefreshTokenReusedError,
} from './token-errors.js'

/**
 * Every code with its class, once: the compiler refuses this object when a
 * code of `BatonErrorCode` is missing or one is unknown. Statuses are not
 * written here: each class passes its own (as in jose), which keeps the
 * browser bundles free of a code → status table.
 */
const CLASS_BY_CODE = {
  ERR_BAD_REQUEST: BadRequestError,
  ERR_CONFIG: ConfigError,
  ERR_CSRF: CsrfError,
  ERR_TRANSPORT_REFUSED: TransportRefusedError,
  ERR_FORBIDDEN: ForbiddenError,
  ERR_INVALID_CREDENTIALS: InvalidCredentialsError,
  ERR_METHOD_NOT_ALLOWED: MethodNotAllowedError,
  ERR_NOT_FOUND: NotFoundError,
  ERR_PAYLOAD_TOO_LARGE: PayloadTooLargeError,
  ERR_UNSUPPORTED_MEDIA_TYPE: UnsupportedMediaTypeError,
  ERR_RATE_LIMITED: RateLimitedError,
  ERR_ACCESS_TOKEN_INVALID: AccessTokenInvalidError,
  ERR_ACCESS_TOKEN_EXPIRED: AccessTokenExpiredError,
  ERR_REFRESH_TOKEN_MISSING: RefreshTokenMissingError,
  ERR_REFRESH_TOKEN_INVALID: RefreshTokenInvalidError,
  ERR_REFRESH_TOKEN_REUSED: RefreshTokenReusedError,
  ERR_REFRESH_DENIED: RefreshDeniedError,
  ERR_SESSION_REVOKED: SessionRevokedError,
  ERR_SESSION_EXPIRED: SessionExpiredError,
  ERR_UPSTREAM_SESSION_ENDED: UpstreamSessionEndedError,
  ERR_UNAUTHENTICATED: UnauthenticatedError,
  ERR_STORE_UNAVAILABLE: StoreUnavailableError,
  ERR_UPSTREAM_UNAVAILABLE: UpstreamUnavailableError,
  ERR_REFRESH_ROUTE_UNAVAILABLE: RefreshRouteUnavailableError,
  ERR_NETWORK: NetworkError,
  ERR_INTERNAL: InternalError,
  ERR_OIDC_SIGN_IN: OidcSignInError,
} satisfies { [C in BatonErrorCode]: { readonly code: C } }

function instanceOf(Class: (typeof CLASS_BY_CODE)[BatonErrorCode]): BatonError {
  return Class === RateLimitedError ? new RateLimitedError(1) : new (Class as unknown as new () => BatonError)()
}

/**
 * The HTTP status each code maps to, and at run time the list of Baton's
 * codes (`Object.hasOwn(STATUS_BY_CODE, code)` tells one of them from a
 * stranger's). Derived from the classes (the status an instance of each
 * gets), so a code's status is written in one place: its class. Server-side.
 */
export const STATUS_BY_CODE: Readonly<Record<BatonErrorCode, number>> = Object.freeze(
  Object.fromEntries(Object.entries(CLASS_BY_CODE).map(([code, Class]) => [code, instanceOf(Class).status])) as Record<
    BatonErrorCode,
    number
  >,
)
