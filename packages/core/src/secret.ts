import { ConfigError } from './errors.js'
import { base64url, sha256, utf8 } from './internal/encoding.js'

/** What Baton derives from one server secret; every purpose gets its own key. */
export interface DerivedSecret {
  /** Key id for HS256 access tokens signed with this secret (a hash, not the key). */
  readonly kid: string
  /** HMAC-SHA256 key for HS256 access tokens. */
  readonly accessTokenKey: CryptoKey
  /** HMAC-SHA256 key K from which refresh-token successors are derived. */
  readonly successorKey: CryptoKey
  /** Derives a further 256-bit key for another purpose (e.g. encryption). */
  deriveBits(label: string): Promise<Uint8Array<ArrayBuffer>>
}

/** The minimum secret length, in UTF-8 bytes. */
export const MIN_SECRET_BYTES = 32

/**
 * Checks the configured secret(s): the first is current, later ones are
 * previous secrets still accepted while a rotation completes.
 */
export function normalizeSecrets(secret: string | readonly string[] | undefined): string[] {
  const list = typeof secret === 'string' ? [secret] : [...(secret ?? [])]
  if (list.length === 0) throw new ConfigError('`secret` is required (at least 32 bytes of randomness).')
  for (const value of list) {
    if (typeof value !== 'string' || utf8(value).length < MIN_SECRET_BYTES) {
      throw new ConfigError(
        `Each secret must be a string of at least ${MIN_SECRET_BYTES} bytes; generate one with \`openssl rand -base64 32\`.`,
      )
    }
  }
  if (new Set(list).size !== list.length) throw new ConfigError('The same secret is listed twice.')
  return list
}

async function hkdf(base: CryptoKey, label: string): Promise<Uint8Array<ArrayBuffer>> {
  const bits = await crypto.subtle.deriveBits(
    { name: 'HKDF', hash: 'SHA-256', salt: utf8('baton/v1'), info: utf8(label) },
    base,
    256,
  )
  return new Uint8Array(bits)
}

function hmacKey(bytes: Uint8Array<ArrayBuffer>): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', bytes, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify'])
}

/**
 * Derives Baton's per-purpose keys from one secret with HKDF-SHA256, so the
 * access-token key, the successor key and any encryption key are independent:
 * leaking one reveals nothing about the others or the secret.
 */
export async function deriveSecret(secret: string): Promise<DerivedSecret> {
  const base = await crypto.subtle.importKey('raw', utf8(secret), 'HKDF', false, ['deriveBits'])
  const accessBits = await hkdf(base, 'access-token/hs256')
  const successorBits = await hkdf(base, 'refresh-token/successor')
  return {
    kid: `hs-${(await sha256(base64url(accessBits))).slice(0, 16)}`,
    accessTokenKey: await hmacKey(accessBits),
    successorKey: await hmacKey(successorBits),
    deriveBits: (label) => hkdf(base, label),
  }
}
