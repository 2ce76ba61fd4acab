/**
 * `crypto-ops.ts` on node:crypto: the same results byte for byte (the tests
 * run both), without WebCrypto's per-call dispatch, which the refresh route's
 * profile put at about a sixth of its server time (bench/README.md). Keys stay
 * the `CryptoKey`s the key set holds; their node:crypto `KeyObject` is made
 * once per key and kept in a WeakMap. SHA-256 uses the one-shot
 * `crypto.hash` where Node has it (≥ 20.12), random ids come from a small
 * CSPRNG pool (see {@link randomBase64url}).
 */
import * as nodeCrypto from 'node:crypto'
import { createHash, createHmac, KeyObject, randomFillSync, sign } from 'node:crypto'
import type { JwsHeader } from './crypto-ops.js'

export type { JwsHeader } from './crypto-ops.js'

const keyObjects = new WeakMap<CryptoKey, KeyObject>()

function keyObject(key: CryptoKey): KeyObject {
  let found = keyObjects.get(key)
  if (!found) {
    found = KeyObject.from(key)
    keyObjects.set(key, found)
  }
  return found
}

/**
 * Random bytes are drawn from the CSPRNG (`randomFillSync`, no WebCrypto
 * dispatch and none of the wrappers a framework may put around
 * `crypto.getRandomValues`) a pool at a time, as Node's own `randomUUID`
 * does: one system call per POOL_SIZE bytes instead of one per id. Each byte
 * is handed out once and zeroed as it is.
 */
const POOL_SIZE = 1024
const pool = Buffer.alloc(POOL_SIZE)
let poolOffset = POOL_SIZE

/** `bytes` bytes from the CSPRNG, base64url without padding (token ids, refresh tokens). */
export function randomBase64url(bytes: number): string {
  if (!Number.isInteger(bytes) || bytes < 1 || bytes > POOL_SIZE) throw new RangeError(`randomBase64url(${bytes})`)
  if (poolOffset + bytes > POOL_SIZE) {
    randomFillSync(pool)
    poolOffset = 0
  }
  const end = poolOffset + bytes
  const value = pool.toString('base64url', poolOffset, end)
  pool.fill(0, poolOffset, end)
  poolOffset = end
  return value
}

type OneShotHash = (algorithm: string, data: string, encoding: 'base64url') => string
const oneShotHash = (nodeCrypto as { hash?: OneShotHash }).hash

/** SHA-256 of a string's UTF-8 bytes, base64url without padding. */
export async function sha256Base64url(value: string): Promise<string> {
  return oneShotHash
    ? oneShotHash('sha256', value, 'base64url')
    : createHash('sha256').update(value, 'utf8').digest('base64url')
}

/** HMAC-SHA256 of a string's UTF-8 bytes under an HMAC `CryptoKey`, base64url without padding. */
export async function hmacSha256Base64url(key: CryptoKey, value: string): Promise<string> {
  return createHmac('sha256', keyObject(key)).update(value, 'utf8').digest('base64url')
}

/**
 * A compact JWS of `payload` (serialized with `JSON.stringify`) under `header`,
 * signed with `key`: HS256 by HMAC, EdDSA (Ed25519) and ES256 (P-256, raw
 * r‖s as JWS wants) by `crypto.sign`.
 */
export async function signCompactJws(header: JwsHeader, payload: object, key: CryptoKey): Promise<string> {
  const input = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`
  return `${input}.${signature(header.alg, input, key)}`
}

function signature(alg: string, input: string, key: CryptoKey): string {
  if (!key.usages.includes('sign')) throw new TypeError('The key may not be used to sign.')
  const secret = keyObject(key)
  if (alg === 'HS256') {
    if (key.algorithm.name !== 'HMAC') throw new TypeError('HS256 needs an HMAC key.')
    return createHmac('sha256', secret).update(input, 'latin1').digest('base64url')
  }
  if (alg === 'EdDSA' && key.algorithm.name === 'Ed25519')
    return sign(null, Buffer.from(input), secret).toString('base64url')
  if (alg === 'ES256' && key.algorithm.name === 'ECDSA')
    return sign('sha256', Buffer.from(input), { key: secret, dsaEncoding: 'ieee-p1363' }).toString('base64url')
  throw new TypeError(`Cannot sign ${alg} with a ${key.algorithm.name} key.`)
}
