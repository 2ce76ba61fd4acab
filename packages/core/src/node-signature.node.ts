/**
 * The signature primitive of the Node fast path (`jwt-verifier.node.ts`):
 * which CryptoKeys it may use as they are, and one-shot `node:crypto`
 * verification of HS256, EdDSA and ES256 (IEEE P1363) signatures. Project
 * Wycheproof's raw HMAC-SHA256, Ed25519 and ECDSA P-256 vectors run against
 * {@link verifySignature} (`wycheproof-signatures.node.test.ts`).
 */
import { Buffer } from 'node:buffer'
import { createHmac, KeyObject, timingSafeEqual, verify } from 'node:crypto'
import type { AccessTokenAlgorithm } from './key-set.js'

/** What jose's `prepareKey`/`checkCryptoKey` demand of a verification CryptoKey, per algorithm. */
const EXPECTED: Record<
  AccessTokenAlgorithm,
  { type: KeyType; name: string; hash?: string; curve?: string; sigBytes: number }
> = {
  HS256: { type: 'secret', name: 'HMAC', hash: 'SHA-256', sigBytes: 32 },
  EdDSA: { type: 'public', name: 'Ed25519', sigBytes: 64 },
  ES256: { type: 'public', name: 'ECDSA', curve: 'P-256', sigBytes: 64 },
}

/** True for the algorithms the fast path verifies itself. */
export function isFastAlgorithm(alg: unknown): alg is AccessTokenAlgorithm {
  return typeof alg === 'string' && Object.hasOwn(EXPECTED, alg)
}

/** Per CryptoKey and algorithm: its KeyObject, or null when jose would refuse the key for that algorithm. */
const keyObjects = new WeakMap<CryptoKey, Partial<Record<AccessTokenAlgorithm, KeyObject | null>>>()

/** True when `key` is a WebCrypto CryptoKey of this realm. */
export function isCryptoKey(key: unknown): key is CryptoKey {
  return typeof CryptoKey === 'function' && key instanceof CryptoKey
}

/** The KeyObject behind `key` when jose would use `key` for `alg` as it is; otherwise null. */
export function keyObjectFor(key: CryptoKey, alg: AccessTokenAlgorithm): KeyObject | null {
  let byAlg = keyObjects.get(key)
  const known = byAlg?.[alg]
  if (known !== undefined) return known
  const expected = EXPECTED[alg]
  // A CryptoKey's type, algorithm and usages never change, so the verdict is cached.
  const algorithm = key.algorithm as { name: string; hash?: { name?: string }; namedCurve?: string }
  let object: KeyObject | null = null
  if (
    key.type === expected.type &&
    algorithm.name === expected.name &&
    (expected.hash === undefined || algorithm.hash?.name === expected.hash) &&
    (expected.curve === undefined || algorithm.namedCurve === expected.curve) &&
    key.usages.includes('verify')
  ) {
    try {
      object = KeyObject.from(key)
    } catch {
      object = null
    }
  }
  if (byAlg === undefined) {
    byAlg = {}
    keyObjects.set(key, byAlg)
  }
  byAlg[alg] = object
  return object
}

/**
 * True when `signature` is a valid `alg` signature (or HMAC tag) of
 * `signingInput` (a latin1 string: the ASCII of a JWS signing input, or any
 * bytes one char each) under `key`. A signature of the wrong length is
 * refused before any arithmetic; anything that throws is a refusal.
 */
export function verifySignature(
  alg: AccessTokenAlgorithm,
  key: KeyObject,
  signingInput: string,
  signature: Buffer,
): boolean {
  if (signature.length !== EXPECTED[alg].sigBytes) return false
  try {
    if (alg === 'HS256') {
      return timingSafeEqual(createHmac('sha256', key).update(signingInput, 'latin1').digest(), signature)
    }
    const data = Buffer.from(signingInput, 'latin1')
    if (alg === 'EdDSA') return verify(null, data, key, signature)
    return verify('sha256', data, { key, dsaEncoding: 'ieee-p1363' }, signature)
  } catch {
    return false
  }
}
