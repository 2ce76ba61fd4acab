/**
 * `@baton/core/verify`: only what checking an access token takes — key sets,
 * the secret's derived keys, `verifyAccessToken` and Baton's errors — for
 * runtimes where every module counts, such as Next's Edge middleware. It
 * reaches jose through its JWS/JWT subpaths only, never its index, so no
 * bundler sees jose's JWE code (and its `CompressionStream`). Everything here
 * is also exported by `@baton/core`; the two share one module graph, so
 * `instanceof BatonError` holds across them.
 */
export {
  ACCESS_TOKEN_TYPE,
  type AccessTokenClaims,
  type AccessTokenPolicy,
  MAX_ACCESS_TOKEN_LENGTH,
  verifyAccessToken,
} from './access-token.js'
export * from './errors.js'
export {
  type AccessTokenAlgorithm,
  hmacKeySet,
  type KeyedJwk,
  type KeySet,
  publicKeySet,
  type VerificationKey,
} from './key-set.js'
export { type DerivedSecret, deriveSecret, MIN_SECRET_BYTES } from './secret.js'
