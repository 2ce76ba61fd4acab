export {
  ACCESS_TOKEN_TYPE,
  type AccessTokenClaims,
  type AccessTokenPolicy,
  MAX_ACCESS_TOKEN_LENGTH,
  signAccessToken,
  verifyAccessToken,
} from './access-token.js'
export { type Clock, systemClock } from './clock.js'
export type { RefreshCheckContext, RequestMeta, ResolvedEngineOptions, SessionEngineOptions } from './engine-options.js'
export * from './errors.js'
export type { BatonEvent, BatonEventHandler, BatonEventType } from './events.js'
export { base64url, randomId, sha256, timingSafeEqual } from './internal/encoding.js'
export {
  type IssuedSession,
  type SessionInfo,
  type SignedAccessToken,
  toSessionInfo,
  type UpdatedSession,
  type VerifiedAccessToken,
} from './issued-session.js'
export {
  type AccessTokenAlgorithm,
  asymmetricKeySet,
  type GenerateSigningKeyOptions,
  generateSigningKey,
  hmacKeySet,
  type KeyedJwk,
  type KeySet,
  publicJwk,
  publicKeySet,
  type SigningKeysOptions,
  type VerificationKey,
} from './key-set.js'
export { MemorySessionStore } from './memory-store.js'
export { DEFAULT_REFRESH_TOKEN_PREFIX, type RefreshTokens, refreshTokens } from './refresh-token.js'
export { MAX_GRACE_HOPS } from './rotate-refresh-token.js'
export { type DerivedSecret, deriveSecret, MIN_SECRET_BYTES } from './secret.js'
export { createSessionEngine, type SessionEngine, type SignInInput } from './session-engine.js'
export type * from './session-store.js'
