/**
 * `@baton/core`: what an app needs — the session engine, the stores, Baton's
 * errors and types, and signing-key generation. Checking a token elsewhere:
 * `@baton/core/verify`; the browser: `@baton/core/client`; store tests:
 * `@baton/core/testing`. (Baton's own packages share helpers through
 * `@baton/core/internal`, which apps should not use.)
 */
export type { AccessTokenClaims, AccessTokenPolicy } from './access-token.js'
export { type Clock, systemClock } from './clock.js'
export type { RefreshCheckContext, RequestMeta, ResolvedEngineOptions, SessionEngineOptions } from './engine-options.js'
export {
  AccessTokenExpiredError,
  AccessTokenInvalidError,
  BadRequestError,
  BatonError,
  type BatonErrorCode,
  type BatonErrorOptions,
  ConfigError,
  CsrfError,
  ForbiddenError,
  InternalError,
  InvalidCredentialsError,
  isBatonError,
  MethodNotAllowedError,
  NetworkError,
  NotFoundError,
  OidcSignInError,
  type OidcSignInFailure,
  PayloadTooLargeError,
  RateLimitedError,
  RefreshDeniedError,
  RefreshRouteUnavailableError,
  RefreshTokenInvalidError,
  RefreshTokenMissingError,
  RefreshTokenReusedError,
  SessionExpiredError,
  SessionRevokedError,
  StoreUnavailableError,
  TransportRefusedError,
  UnauthenticatedError,
  UnsupportedMediaTypeError,
  UpstreamSessionEndedError,
  UpstreamUnavailableError,
} from './errors.js'
export type { BatonEvent, BatonEventHandler, BatonEventType } from './events.js'
export type {
  IssuedSession,
  SessionInfo,
  SignedAccessToken,
  UpdatedSession,
  VerifiedAccessToken,
} from './issued-session.js'
export {
  type AccessTokenAlgorithm,
  type GenerateSigningKeyOptions,
  generateSigningKey,
  type KeyedJwk,
  type KeySet,
  type SigningKeysOptions,
  type VerificationKey,
} from './key-set.js'
export { MemorySessionStore } from './memory-store.js'
export {
  memoryRevocationHub,
  type RevocationEntry,
  type RevocationFeed,
  type RevocationListener,
  RevocationSet,
} from './revocation-feed.js'
export type { DerivedSecret } from './secret.js'
export { createSessionEngine, type SessionEngine, type SignInInput } from './session-engine.js'
export type * from './session-store.js'
