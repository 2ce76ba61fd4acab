/**
 * `@baton/core/internal`: the building blocks Baton's own packages share
 * (`@baton/next`, `@baton/drizzle`, the benchmarks) and an app never needs:
 * encoding and hashing helpers, access-token signing, refresh-token minting,
 * the code → status table. **No semver promise**: any release may change
 * these. Apps import from `@baton/core` (the engine, stores, errors, types),
 * `@baton/core/verify` (checking a token elsewhere) or `@baton/core/client`.
 */
export { ACCESS_TOKEN_TYPE, MAX_ACCESS_TOKEN_LENGTH, signAccessToken, verifyAccessToken } from './access-token.js'
export { STATUS_BY_CODE } from './errors/status-by-code.js'
export { base64url, randomId, sha256, timingSafeEqual } from './internal/encoding.js'
export { toSessionInfo } from './issued-session.js'
export { asymmetricKeySet, hmacKeySet, publicJwk, publicKeySet } from './key-set.js'
export { DEFAULT_REFRESH_TOKEN_PREFIX, type RefreshTokens, refreshTokens } from './refresh-token.js'
export { MAX_GRACE_HOPS } from './rotate-refresh-token.js'
export { deriveSecret, MIN_SECRET_BYTES } from './secret.js'
// The server layer's building blocks, for `@baton/next` and its tests.
export { resolveCors } from './server/http/cors.js'
export { isValidHost } from './server/http/public-origin.js'
export { resolveBatonOptions } from './server/resolve-options.js'
export { backoff, isIdempotent, isTransientStatus } from './server/upstream/retry.js'
export { jsonSealer } from './server/upstream/sealed-json.js'
export { openState, sealState } from './server/upstream/token-state.js'
export { resolveUpstreamOptions } from './server/upstream/upstream-options.js'
