import { CompactEncrypt, compactDecrypt, decodeProtectedHeader } from 'jose'
import { ConfigError } from '../../index.js'
import { base64url, deriveSecret, sha256 } from '../../internal.js'

/** One AES-256-GCM key and its id (a hash of the key, not the key). */
interface SealingKey {
  kid: string
  key: Uint8Array<ArrayBuffer>
}

/**
 * Seals JSON as a compact JWE (`dir` + `A256GCM`: AES-256-GCM with a random
 * 96-bit IV and a 128-bit tag) under keys derived from Baton's secrets by
 * HKDF with `label`. The first secret seals; every listed secret opens, picked
 * by the `kid` in the JWE header, so data sealed before a secret rotation
 * still opens while the previous secret stays listed.
 */
export interface JsonSealer {
  seal(value: object): Promise<string>
  /** The JSON, or null when the value is malformed, tampered with or sealed under an unknown key. */
  open(sealed: string): Promise<Record<string, unknown> | null>
}

/** Creates a sealer for one purpose (`label`); keys are derived on first use. */
export function jsonSealer(secret: string | readonly string[], label: string): JsonSealer {
  const secrets = typeof secret === 'string' ? [secret] : [...secret]
  if (secrets.length === 0) throw new ConfigError('`secret` is required.')
  let keys: Promise<SealingKey[]> | undefined
  const load = () => {
    keys ??= Promise.all(
      secrets.map(async (s) => {
        const key = await (await deriveSecret(s)).deriveBits(label)
        return { kid: `k-${(await sha256(base64url(key))).slice(0, 12)}`, key }
      }),
    )
    return keys
  }
  return {
    async seal(value) {
      const [current] = await load()
      if (!current) throw new ConfigError('No secret configured.')
      return new CompactEncrypt(new TextEncoder().encode(JSON.stringify(value)))
        .setProtectedHeader({ alg: 'dir', enc: 'A256GCM', kid: current.kid })
        .encrypt(current.key)
    },
    async open(sealed) {
      if (typeof sealed !== 'string' || sealed.length > 16_384) return null
      try {
        const { kid } = decodeProtectedHeader(sealed)
        const match = (await load()).find((k) => k.kid === kid)
        if (!match) return null
        const { plaintext } = await compactDecrypt(sealed, match.key, {
          keyManagementAlgorithms: ['dir'],
          contentEncryptionAlgorithms: ['A256GCM'],
        })
        const value: unknown = JSON.parse(new TextDecoder().decode(plaintext))
        return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null
      } catch {
        return null
      }
    },
  }
}
