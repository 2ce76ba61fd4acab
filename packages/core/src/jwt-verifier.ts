/**
 * JWS signature and JWT claim verification of Baton access tokens through
 * jose on WebCrypto: the verifier of every runtime (Edge, browsers, Deno,
 * Bun), and the reference the Node fast path (`jwt-verifier.node.ts`) must
 * agree with. `access-token.ts` imports whichever of the two the runtime
 * picks through the package's `#jwt-verifier` import condition.
 */
import type { CompactVerifyResult, JWSHeaderParameters, JWTPayload } from 'jose'
import { compactVerify } from 'jose/jws/compact/verify'
import { jwtVerify } from 'jose/jwt/verify'
import { AccessTokenInvalidError } from './errors.js'
import { type CanonicalCompactJws, isCanonicalCompactJws } from './internal/compact-jws.js'
import type { KeySet } from './key-set.js'

/** The JWT `typ` header of Baton access tokens (RFC 9068). */
export const ACCESS_TOKEN_TYPE = 'at+jwt'

/** Claims every Baton access token must carry (`iss` and `aud` are checked by value). */
export const REQUIRED_CLAIMS = ['sub', 'sid', 'jti', 'iat', 'exp'] as const

/** Issuer, audience and tolerance shared by signing and verification. */
export interface AccessTokenPolicy {
  issuer: string
  audience: string
  /** Seconds of clock skew tolerated on `exp`, `nbf` and `iat`. */
  clockTolerance: number
}

/**
 * Verifies a compact JWS's signature under the key set's pinned algorithms
 * and its `typ`, `iss`, `aud`, required claims, `nbf` and `exp` with the
 * policy's clock tolerance; resolves with the claims. Rejects with jose's
 * errors (or Baton's for an unknown key), which `toAccessTokenError` maps.
 * May return the claims synchronously (the Node fast path does) or throw.
 * Takes only a token that passed `isCanonicalCompactJws` (the caller,
 * `verifyAccessTokenWith`, checks it once for every verifier).
 */
export type JwtVerifier = (
  keys: KeySet,
  policy: AccessTokenPolicy,
  token: CanonicalCompactJws,
  now: number,
) => JWTPayload | Promise<JWTPayload>

/** Which verifier this module is, for tests and benchmarks. */
export const JWT_VERIFIER: string = 'jose (WebCrypto)'

/**
 * jose's key resolver for `keys`: the key the header's `kid` names under its
 * `alg`. An unknown key is refused with the same error, and so the same
 * message, as every other refused signature: a 401 never tells a prober
 * which `kid` values exist.
 */
function keyFor(keys: KeySet): (header: JWSHeaderParameters) => CryptoKey {
  return (header) => {
    const key = keys.find(header.kid, header.alg)
    if (!key) throw new AccessTokenInvalidError()
    return key.key
  }
}

/** {@link JwtVerifier} through jose's `jwtVerify` on WebCrypto; the token's spelling is already checked. */
export async function verifyJwt(
  keys: KeySet,
  policy: AccessTokenPolicy,
  token: CanonicalCompactJws,
  now: number,
): Promise<JWTPayload> {
  const { payload } = await jwtVerify(token, keyFor(keys), {
    algorithms: [...keys.algorithms],
    issuer: policy.issuer,
    audience: policy.audience,
    typ: ACCESS_TOKEN_TYPE,
    clockTolerance: policy.clockTolerance,
    currentDate: new Date(now),
    requiredClaims: [...REQUIRED_CLAIMS],
  })
  return payload
}

/**
 * The signature layer of {@link verifyJwt} alone: jose's `compactVerify`
 * (which `jwtVerify` runs first) with the same key resolver and pinned
 * algorithms, and no JWT claim checks. Resolves with the protected header
 * and payload bytes; rejects like `verifyJwt`, and refuses a token that is
 * not canonical itself (it is no `JwtVerifier`: nobody checked it before).
 * For the JWS conformance tests (Wycheproof), whose payloads are not Baton
 * claims.
 */
export async function verifyJws(keys: KeySet, token: string): Promise<CompactVerifyResult> {
  if (!isCanonicalCompactJws(token)) throw new AccessTokenInvalidError()
  return compactVerify(token, keyFor(keys), { algorithms: [...keys.algorithms] })
}
