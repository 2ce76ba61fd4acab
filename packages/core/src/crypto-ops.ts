/**
 * The hashing, HMAC and JWS signing of the refresh path, on WebCrypto and jose:
 * what every runtime uses (Edge, browsers, Deno, Bun) and the reference the
 * Node version (`crypto-ops.node.ts`, node:crypto without WebCrypto's per-call
 * overhead) must agree with byte for byte. Modules import whichever of the two
 * the runtime picks through the package's `#crypto-ops` import condition.
 */
import { CompactSign } from 'jose/jws/compact/sign'
import type { Awaitable } from './internal/awaitable.js'
import { base64url, randomBytes, sha256, utf8 } from './internal/encoding.js'

export type { Awaitable } from './internal/awaitable.js'

/** The protected header of a Baton JWS. */
export interface JwsHeader {
  alg: string
  kid: string
  typ: string
}

/** `bytes` bytes from the platform CSPRNG, base64url without padding (token ids, refresh tokens). */
export function randomBase64url(bytes: number): string {
  return base64url(randomBytes(bytes))
}

/** SHA-256 of a string's UTF-8 bytes, base64url without padding. */
export const sha256Base64url: (value: string) => Awaitable<string> = sha256

/** HMAC-SHA256 of a string's UTF-8 bytes under an HMAC `CryptoKey`, base64url without padding. */
export function hmacSha256Base64url(key: CryptoKey, value: string): Awaitable<string> {
  return crypto.subtle.sign('HMAC', key, utf8(value)).then((mac) => base64url(new Uint8Array(mac)))
}

/**
 * A compact JWS of `payload` (serialized with `JSON.stringify`) under `header`,
 * signed with `key` (HS256, EdDSA or ES256 as `header.alg` says).
 */
export function signCompactJws(header: JwsHeader, payload: object, key: CryptoKey): Awaitable<string> {
  return new CompactSign(utf8(JSON.stringify(payload))).setProtectedHeader({ ...header }).sign(key)
}
