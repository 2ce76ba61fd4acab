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
 * errors, error classes and messages are jose's, unchanged. A part that is not
 * canonical base64url (`internal/compact-jws.ts`) never gets here:
 * `verifyAccessTokenWith` refuses it once, before any verifier runs, so the
 * two refuse the same spellings; the standalone `fastVerifyJws` and
 * `fastVerifyJwt` decline it themselves.
 */
import { Buffer, isUtf8 } from 'node:buffer'
import type { JWTPayload } from 'jose'
import { type CanonicalCompactJws, isCanonicalCompactJws } from './internal/compact-jws.js'
import {
  ACCESS_TOKEN_TYPE,
  type AccessTokenPolicy,
  type JwtVerifier,
  REQUIRED_CLAIMS,
  verifyJwt as verifyWithJose,
} from './jwt-verifier.js'
import type { KeySet } from './key-set.js'
import { isCryptoKey, isFastAlgorithm, keyObjectFor, verifySignature } from './node-signature.node.js'

export type { AccessTokenPolicy, JwtVerifier } from './jwt-verifier.js'
export { ACCESS_TOKEN_TYPE, REQUIRED_CLAIMS } from './jwt-verifier.js'

/** Which verifier this module is, for tests and benchmarks. */
export const JWT_VERIFIER: string = 'node:crypto (jose fallback)'

type Json = Record<string, unknown>

/** JSON.parse of a canonical base64url segment as jose does it (fatal UTF-8; a leading BOM is left to jose), if a plain object. */
function parseObject(segment: string): Json | undefined {
  const bytes = Buffer.from(segment, 'base64url')
  if (!isUtf8(bytes)) return undefined
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

/** A compact JWS whose signature the fast path has verified. */
export interface FastVerifiedJws {
  /** The protected header (frozen, shared between tokens). */
  readonly header: Readonly<Json>
  /** The payload, still base64url encoded. */
  readonly payloadSegment: string
}

/**
 * The signature layer of {@link fastVerifyJwt}: the header and payload of
 * `token` when it is a canonical compact JWS (see `internal/compact-jws.ts`)
 * whose header names a known key under an allowed algorithm, with no `crit`,
 * and whose signature verifies with `node:crypto`; `undefined` otherwise
 * (jose then decides). No JWT claim is looked at.
 */
export function fastVerifyJws(keys: KeySet, token: string): FastVerifiedJws | undefined {
  return isCanonicalCompactJws(token) ? verifyCanonicalJws(keys, token) : undefined
}

/** {@link fastVerifyJws} of a token whose spelling is already checked. */
function verifyCanonicalJws(keys: KeySet, token: CanonicalCompactJws): FastVerifiedJws | undefined {
  const firstDot = token.indexOf('.')
  const secondDot = token.indexOf('.', firstDot + 1)
  const headerSegment = token.slice(0, firstDot)
  const cached = headerCache.get(headerSegment)
  const header = cached ?? parseObject(headerSegment)
  // crit (and with it b64: false) is rare and subtle: jose alone decides.
  if (header === undefined || header.crit !== undefined) return undefined
  const alg = header.alg
  if (!isFastAlgorithm(alg) || !keys.algorithms.includes(alg)) return undefined
  const found = keys.find(header.kid, alg)
  if (!found || !isCryptoKey(found.key)) return undefined
  if (cached === undefined) cacheHeader(headerSegment, header)
  const key = keyObjectFor(found.key, alg)
  if (key === null) return undefined
  const signature = Buffer.from(token.slice(secondDot + 1), 'base64url')
  if (!verifySignature(alg, key, token.slice(0, secondDot), signature)) return undefined
  return { header, payloadSegment: token.slice(firstDot + 1, secondDot) }
}

/** jose's `typ` comparison: case-insensitive, `application/` implied. */
function typMatches(typ: unknown): boolean {
  if (typeof typ !== 'string') return false
  const normalized = typ.toLowerCase()
  return (typ.includes('/') ? normalized : `application/${normalized}`) === `application/${ACCESS_TOKEN_TYPE}`
}

/**
 * The claims of `token` when it is canonical (`internal/compact-jws.ts`)
 * and passes every check jose's `jwtVerify` would make with Baton's options;
 * `undefined` when it does not, or when the fast path cannot tell (then jose
 * decides). The signature comes first ({@link fastVerifyJws}), then `typ`
 * and the claims.
 */
export function fastVerifyJwt(
  keys: KeySet,
  policy: AccessTokenPolicy,
  token: string,
  now: number,
): JWTPayload | undefined {
  return isCanonicalCompactJws(token) ? verifyCanonicalJwt(keys, policy, token, now) : undefined
}

/** {@link fastVerifyJwt} of a token whose spelling is already checked: what `verifyAccessToken` runs. */
function verifyCanonicalJwt(
  keys: KeySet,
  policy: AccessTokenPolicy,
  token: CanonicalCompactJws,
  now: number,
): JWTPayload | undefined {
  const jws = verifyCanonicalJws(keys, token)
  if (jws === undefined) return undefined
  const { header } = jws
  const claims = parseObject(jws.payloadSegment)
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
  return (keys, policy, token, now) =>
    verifyCanonicalJwt(keys, policy, token, now) ?? fallback(keys, policy, token, now)
}

/** The verifier `verifyAccessToken` uses on Node. */
export const verifyJwt: JwtVerifier = nodeJwtVerifier()
