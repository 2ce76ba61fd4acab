/**
 * `@baton/core/verify`: only what checking an access token takes — key sets,
 * the secret's derived keys, `verifyAccessToken` and Baton's errors — for
 * runtimes where every module counts, such as Next's Edge middleware. It
 * reaches jose through its JWS/JWT subpaths only, never its index, so no
 * bundler sees jose's JWE code (and its `CompressionStream`). Everything here
 * is also exported by `@baton/core` (except `seconds`, below); the two share
 * one module graph, so `instanceof BatonError` holds across them.
 *
 * `seconds` — the validator of duration options (seconds in, milliseconds
 * out, "did you pass milliseconds?" above a maximum) — is exported here only,
 * for `@baton/next`'s option resolvers (the Edge proxy among them), so that
 * `@baton/core`'s root stays what an app needs. So is `effectiveLeeway`, the
 * one rule of how early a token is refreshed, shared by the proxies and the
 * session client.
 */
export {
  ACCESS_TOKEN_TYPE,
  type AccessTokenClaims,
  type AccessTokenPolicy,
  MAX_ACCESS_TOKEN_LENGTH,
  verifyAccessToken,
} from './access-token.js'
export { type SecondsBounds, seconds } from './durations.js'
export * from './errors.js'
export {
  type AccessTokenAlgorithm,
  hmacKeySet,
  type KeyedJwk,
  type KeySet,
  publicKeySet,
  type VerificationKey,
} from './key-set.js'
export { effectiveLeeway, type LeewayInput } from './refresh-leeway.js'
export { type DerivedSecret, deriveSecret, MIN_SECRET_BYTES } from './secret.js'
