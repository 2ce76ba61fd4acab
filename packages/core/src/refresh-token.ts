import { type Awaitable, hmacSha256Base64url, randomBase64url, sha256Base64url } from '#crypto-ops'
import { isPromiseLike } from './internal/awaitable.js'

/** Default refresh-token prefix; secret scanners can match `brt_[A-Za-z0-9_-]{43}`. */
export const DEFAULT_REFRESH_TOKEN_PREFIX = 'brt_'

/** 256 bits, base64url without padding. */
const BODY_LENGTH = 43
const BODY_PATTERN = /^[A-Za-z0-9_-]{43}$/

/** Refresh tokens of one Baton instance: minting, hashing, successor derivation. */
export interface RefreshTokens {
  /** A fresh token: prefix + 256 bits from the CSPRNG. */
  generate(): string
  /** True when `value` has the exact shape of a token (prefix, length, alphabet). */
  isWellFormed(value: unknown): value is string
  /** SHA-256 of the token, base64url: the only form that is stored. */
  hash(token: string): Awaitable<string>
  /**
   * The successor of `token` under key K: prefix + base64url(HMAC-SHA256(K, token)).
   * Deterministic, so a token re-presented within the grace window gets the
   * same successor back although only hashes are stored.
   */
  successor(token: string, key: CryptoKey): Awaitable<string>
}

/** Creates the refresh-token helpers for a prefix (default `brt_`). */
export function refreshTokens(prefix: string = DEFAULT_REFRESH_TOKEN_PREFIX): RefreshTokens {
  return {
    generate: () => prefix + randomBase64url(32),
    isWellFormed: (value): value is string =>
      typeof value === 'string' &&
      value.length === prefix.length + BODY_LENGTH &&
      value.startsWith(prefix) &&
      BODY_PATTERN.test(value.slice(prefix.length)),
    hash: sha256Base64url,
    successor: (token, key) => {
      const mac = hmacSha256Base64url(key, token)
      return isPromiseLike(mac) ? mac.then((value) => prefix + value) : prefix + mac
    },
  }
}
