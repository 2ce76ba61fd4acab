/**
 * The Node fast path of access-token verification (chosen through the
 * package's `#jwt-verifier` import under the `node` condition; the Edge and
 * browser builds never see this file). jose verifies through WebCrypto, whose
 * every call is asynchronous and copies its inputs; on Node the same checks
 * with `node:crypto` one-shot calls are several times faster for HS256.
 *
 * The rule that keeps it safe: the fast path only ever **accepts** a token
 * that jose would accept too, and for everything else it declines and lets
 * jose decide. Every check below is therefore at least as strict as jose's
 * (see `jwt-verifier.ts` and jose's `jwtVerify`): anything unusual (a `crit`
 * header, a BOM, a key that is not a plain CryptoKey of the expected kind, a
 * signature of the wrong length, a time claim that fails) goes to jose, so
 * errors, error classes and messages are jose's, unchanged.
 */
import { Buffer, isUtf8 } from 'node:buffer'
import { createHmac, KeyObject, timingSafeEqual, verify } from 'node:crypto'
import type { JWTPayload } from 'jose'
import {
  ACCESS_TOKEN_TYPE,
  type AccessTokenPolicy,
  type JwtVerifier,
  REQUIRED_CLAIMS,
  verifyJwt as verifyWithJose,
} from './jwt-verifier.js'
import type { AccessTokenAlgorithm, KeySet } from './key-set.js'

export type { AccessTokenPolicy, JwtVerifier } from './jwt-verifier.js'
export { ACCESS_TOKEN_TYPE, REQUIRED_CLAIMS } from './jwt-verifier.js'

/** Which verifier this module is, for tests and benchmarks. */
export const JWT_VERIFIER: string = 'node:crypto (jose fallback)'

type Json = Record<string, unknown>

/** What jose's `prepareKey`/`checkCryptoKey` demand of a verification CryptoKey, per algorithm. */
const EXPECTED: Record<
  AccessTokenAlgorithm,
  { type: KeyType; name: string; hash?: string; curve?: string; sigBytes: number }
> = {
  HS256: { type: 'secret', name: 'HMAC', hash: 'SHA-256', sigBytes: 32 },
  EdDSA: { type: 'public', name: 'Ed25519', sigBytes: 64 },
  ES256: { type: 'public', name: 'ECDSA', curve: 'P-256', sigBytes: 64 },
}

/** Per CryptoKey and algorithm: its KeyObject, or null when jose would refuse the key for that algorithm. */
const keyObjects = new WeakMap<CryptoKey, Partial<Record<AccessTokenAlgorithm, KeyObject | null>>>()

function isCryptoKey(key: unknown): key is CryptoKey {
  return typeof CryptoKey === 'function' && key instanceof CryptoKey
}

/** The KeyObject behind `key` when jose would use `key` for `alg` as it is; otherwise null. */
function keyObjectFor(key: CryptoKey, alg: AccessTokenAlgorithm): KeyObject | null {
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
 * base64url → bytes, for a segment already known to hold only [A-Za-z0-9_-]:
 * Buffer and jose's decoder (atob) agree on such input, except that atob
 * refuses a length of 1 mod 4, which Buffer would decode.
 */
function decodeSegment(segment: string): Buffer | undefined {
  return segment.length % 4 === 1 ? undefined : Buffer.from(segment, 'base64url')
}

/** JSON.parse of a segment as jose does it (fatal UTF-8; a leading BOM is left to jose), if a plain object. */
function parseObject(segment: string): Json | undefined {
  const bytes = decodeSegment(segment)
  if (bytes === undefined || !isUtf8(bytes)) return undefined
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return undefined
  let value: unknown
  try {
    value = JSON.parse(bytes.toString('utf8'))
  } catch {
    return undefined
  }
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined
}

/**
 * Parsed protected headers by their base64url segment. Every token signed
 * with one key has the same header segment, so the parse is done once per key
 * rather than once per token; parsing is deterministic, so this changes
 * nothing but the time. Only headers that named a known key under an allowed
 * algorithm are kept, at most HEADER_CACHE_SIZE of them (frozen, never handed out).
 */
const headerCache = new Map<string, Readonly<Json>>()
const HEADER_CACHE_SIZE = 64

function cacheHeader(segment: string, header: Json): void {
  if (headerCache.size >= HEADER_CACHE_SIZE) headerCache.clear()
  headerCache.set(segment, Object.freeze(header))
}

function signatureValid(alg: AccessTokenAlgorithm, key: KeyObject, signingInput: string, signature: Buffer): boolean {
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

/** jose's `typ` comparison: case-insensitive, `application/` implied. */
function typMatches(typ: unknown): boolean {
  if (typeof typ !== 'string') return false
  const normalized = typ.toLowerCase()
  return (typ.includes('/') ? normalized : `application/${normalized}`) === `application/${ACCESS_TOKEN_TYPE}`
}

/**
 * The claims of `token` when it passes every check jose's `jwtVerify` would
 * make with Baton's options; `undefined` when it does not, or when the fast
 * path cannot tell (then jose decides). `token` has already passed
 * `verifyAccessToken`'s shape check (three base64url segments, size limit).
 */
export function fastVerifyJwt(
  keys: KeySet,
  policy: AccessTokenPolicy,
  token: string,
  now: number,
): JWTPayload | undefined {
  const firstDot = token.indexOf('.')
  const secondDot = token.indexOf('.', firstDot + 1)
  if (firstDot < 1 || secondDot < 0 || token.indexOf('.', secondDot + 1) !== -1) return undefined
  const headerSegment = token.slice(0, firstDot)
  const cached = headerCache.get(headerSegment)
  const header = cached ?? parseObject(headerSegment)
  // crit (and with it b64: false) is rare and subtle: jose alone decides.
  if (header === undefined || header.crit !== undefined) return undefined
  const alg = header.alg as AccessTokenAlgorithm
  if (typeof alg !== 'string' || !keys.algorithms.includes(alg) || !Object.hasOwn(EXPECTED, alg)) return undefined
  const found = keys.find(header.kid, alg)
  if (!found || !isCryptoKey(found.key)) return undefined
  if (cached === undefined) cacheHeader(headerSegment, header)
  const key = keyObjectFor(found.key, alg)
  if (key === null) return undefined
  const signature = decodeSegment(token.slice(secondDot + 1))
  if (signature === undefined || signature.length !== EXPECTED[alg].sigBytes) return undefined
  if (!signatureValid(alg, key, token.slice(0, secondDot), signature)) return undefined

  const claims = parseObject(token.slice(firstDot + 1, secondDot))
  if (claims === undefined || !typMatches(header.typ)) return undefined
  for (const claim of REQUIRED_CLAIMS) if (!Object.hasOwn(claims, claim)) return undefined
  if (typeof policy.issuer !== 'string' || typeof policy.audience !== 'string') return undefined
  if (!Object.hasOwn(claims, 'iss') || !Object.hasOwn(claims, 'aud') || claims.iss !== policy.issuer) return undefined
  const aud = claims.aud
  if (!(aud === policy.audience || (Array.isArray(aud) && aud.includes(policy.audience)))) return undefined
  const tolerance = policy.clockTolerance
  if (typeof tolerance !== 'number' || !Number.isFinite(tolerance) || tolerance < 0) return undefined
  const seconds = Math.floor(new Date(now).getTime() / 1000)
  if (!Number.isFinite(seconds)) return undefined
  const { iat, nbf, exp } = claims
  if (typeof iat !== 'number' || typeof exp !== 'number') return undefined
  if (nbf !== undefined && (typeof nbf !== 'number' || nbf > seconds + tolerance)) return undefined
  if (exp <= seconds - tolerance) return undefined
  return claims as JWTPayload
}

/**
 * {@link JwtVerifier} with the Node fast path: {@link fastVerifyJwt}, and jose
 * for every token it declines (`fallback`, replaceable in tests only).
 */
export function nodeJwtVerifier(fallback: JwtVerifier = verifyWithJose): JwtVerifier {
  // Synchronous when the fast path accepts: one promise fewer per verification.
  return (keys, policy, token, now) => fastVerifyJwt(keys, policy, token, now) ?? fallback(keys, policy, token, now)
}

/** The verifier `verifyAccessToken` uses on Node. */
export const verifyJwt: JwtVerifier = nodeJwtVerifier()
