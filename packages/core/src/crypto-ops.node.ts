/**
 * `crypto-ops.ts` on node:crypto: the same results byte for byte (the tests
 * run both), without WebCrypto's per-call dispatch, which the refresh route's
 * profile put at about a sixth of its server time (bench/README.md). Keys stay
 * the `CryptoKey`s the key set holds; their node:crypto `KeyObject` is made
 * once per key and kept in a WeakMap. SHA-256 uses the one-shot
 * `crypto.hash` where Node has it (≥ 20.12), random ids come from a small
 * CSPRNG pool (see {@link randomBase64url}). Each answers synchronously:
 * on the refresh path an `async` wrapper would only add a promise (and, inside
 * a framework's `AsyncLocalStorage`, an async hook) per call.
 */
import * as nodeCrypto from 'node:crypto'
import { createHash, createHmac, KeyObject, randomFillSync, sign } from 'node:crypto'
import type { JwsHeader } from './crypto-ops.js'

export type { Awaitable, JwsHeader } from './crypto-ops.js'

/** A `CryptoKey` as node:crypto uses it: its `KeyObject`, and what the key may sign, read once. */
interface NodeKey {
  keyObject: KeyObject
  /** `alg` this key signs with, or null when it may not sign. */
  signs: 'HS256' | 'EdDSA' | 'ES256' | null
}

const nodeKeys = new WeakMap<CryptoKey, NodeKey>()

function nodeKey(key: CryptoKey): NodeKey {
  let found = nodeKeys.get(key)
  if (!found) {
    const name = key.algorithm.name
    const signs = !key.usages.includes('sign')
      ? null
      : name === 'HMAC'
        ? 'HS256'
        : name === 'Ed25519'
          ? 'EdDSA'
          : name === 'ECDSA'
            ? 'ES256'
            : null
    found = { keyObject: KeyObject.from(key), signs }
    nodeKeys.set(key, found)
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
export function sha256Base64url(value: string): string {
  return oneShotHash
    ? oneShotHash('sha256', value, 'base64url')
    : createHash('sha256').update(value, 'utf8').digest('base64url')
}

/** HMAC-SHA256 of a string's UTF-8 bytes under an HMAC `CryptoKey`, base64url without padding. */
export function hmacSha256Base64url(key: CryptoKey, value: string): string {
  return createHmac('sha256', nodeKey(key).keyObject).update(value, 'utf8').digest('base64url')
}

/** Encoded protected headers by header object: the access token's is made once per signing key. */
const encodedHeaders = new WeakMap<JwsHeader, string>()

function encodeHeader(header: JwsHeader): string {
  let encoded = encodedHeaders.get(header)
  if (encoded === undefined) {
    encoded = Buffer.from(JSON.stringify(header)).toString('base64url')
    encodedHeaders.set(header, encoded)
  }
  return encoded
}

/**
 * A compact JWS of `payload` (serialized with `JSON.stringify`) under `header`,
 * signed with `key`: HS256 by HMAC, EdDSA (Ed25519) and ES256 (P-256, raw
 * r‖s as JWS wants) by `crypto.sign`. The header object must not change
 * after its first use (its encoding is kept).
 */
export function signCompactJws(header: JwsHeader, payload: object, key: CryptoKey): string {
  const input = `${encodeHeader(header)}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`
  return `${input}.${signature(header.alg, input, key)}`
}

function signature(alg: string, input: string, key: CryptoKey): string {
  const { keyObject, signs } = nodeKey(key)
  if (signs === null) throw new TypeError('The key may not be used to sign.')
  if (alg !== signs) throw new TypeError(`Cannot sign ${alg} with a ${key.algorithm.name} key.`)
  if (alg === 'HS256') return createHmac('sha256', keyObject).update(input, 'latin1').digest('base64url')
  if (alg === 'EdDSA') return sign(null, Buffer.from(input), keyObject).toString('base64url')
  return sign('sha256', Buffer.from(input), { key: keyObject, dsaEncoding: 'ieee-p1363' }).toString('base64url')
}
