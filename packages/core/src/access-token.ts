// `#jwt-verifier` is the Node fast path (node:crypto) under the `node` condition, jose on WebCrypto elsewhere.

// jose by subpath, never its index: the index pulls JWE (CompressionStream), which Edge bundlers warn about.
import type { JWTPayload } from 'jose'
import * as joseErrors from 'jose/errors'
import { type Awaitable, type JwsHeader, randomBase64url, signCompactJws } from '#crypto-ops'
import { verifyJwt } from '#jwt-verifier'
import { AccessTokenExpiredError, AccessTokenInvalidError, ConfigError } from './errors.js'
import { isCanonicalCompactJws } from './internal/compact-jws.js'
import { ACCESS_TOKEN_TYPE, type AccessTokenPolicy, type JwtVerifier } from './jwt-verifier.js'
import type { KeySet } from './key-set.js'

export { ACCESS_TOKEN_TYPE, type AccessTokenPolicy } from './jwt-verifier.js'

/** Longest compact JWT accepted; anything longer is rejected before parsing. */
export const MAX_ACCESS_TOKEN_LENGTH = 8192

const RESERVED_CLAIMS = new Set(['iss', 'sub', 'aud', 'exp', 'nbf', 'iat', 'jti', 'sid'])

/** The verified claims of a Baton access token. */
export interface AccessTokenClaims extends JWTPayload {
  sub: string
  sid: string
  jti: string
  iat: number
  exp: number
  iss: string
}

/** What one access token says. */
export interface AccessTokenInput {
  subject: string
  sessionId: string
  /** App claims; registered claims and `sid` are refused. */
  claims?: Record<string, unknown>
  /** Issue time, ms since the epoch. */
  issuedAt: number
  /** Expiry, ms since the epoch. */
  expiresAt: number
}

/**
 * Signs an access token with the key set's current signing key (synchronously
 * on Node, see `#crypto-ops`).
 *
 * @throws ConfigError when `input.claims` sets a registered claim or `sid`
 */
export function signAccessToken(keys: KeySet, policy: AccessTokenPolicy, input: AccessTokenInput): Awaitable<string> {
  const extra = input.claims ?? {}
  for (const name of Object.keys(extra)) {
    if (RESERVED_CLAIMS.has(name))
      throw new ConfigError(`The claim "${name}" is set by Baton and cannot be overridden.`)
  }
  // The claims in the order jose's SignJWT wrote them, signed by `#crypto-ops` (node:crypto on Node).
  const payload = {
    ...extra,
    sid: input.sessionId,
    sub: input.subject,
    iss: policy.issuer,
    aud: policy.audience,
    jti: randomBase64url(16),
    iat: Math.floor(input.issuedAt / 1000),
    exp: Math.floor(input.expiresAt / 1000),
  }
  return signCompactJws(headerOf(keys.signing), payload, keys.signing.key)
}

/** One protected-header object per signing key, so `#crypto-ops` can keep its encoding. */
const headers = new WeakMap<KeySet['signing'], JwsHeader>()

function headerOf(signing: KeySet['signing']): JwsHeader {
  let header = headers.get(signing)
  if (!header) {
    header = Object.freeze({ alg: signing.alg, kid: signing.kid, typ: ACCESS_TOKEN_TYPE })
    headers.set(signing, header)
  }
  return header
}

/**
 * Verifies an access token: shape and size first (the JWS compact
 * serialization, every part canonical base64url), then the signature with the
 * key named by `kid` under the pinned algorithm list, then `typ`, `iss`, `aud`,
 * `exp`, `nbf` and the claims Baton requires. Headers such as `jku`, `x5u` and
 * `jwk` are never consulted; unknown `crit` entries are refused. On Node the
 * signature and claims are checked with `node:crypto` (a fast path that only
 * accepts what jose accepts and hands everything else to jose); elsewhere by
 * jose on WebCrypto.
 *
 * @throws AccessTokenExpiredError for an authentic token past `exp` (+ tolerance)
 * @throws AccessTokenInvalidError for anything else; a malformed token, an
 *   unknown key and a bad signature all say "The access token is invalid."
 */
export function verifyAccessToken(
  keys: KeySet,
  policy: AccessTokenPolicy,
  token: unknown,
  now: number,
): Promise<AccessTokenClaims> {
  return verifyAccessTokenWith(verifyJwt, keys, policy, token, now)
}

/**
 * {@link verifyAccessToken} with an explicit JWS/JWT verifier: internal, so
 * that tests run the same attack catalogue against every verifier.
 */
export async function verifyAccessTokenWith(
  verifier: JwtVerifier,
  keys: KeySet,
  policy: AccessTokenPolicy,
  token: unknown,
  now: number,
): Promise<AccessTokenClaims> {
  // One message for every refused token, malformed or forged: a 401 must not tell a prober which `kid` values exist.
  // The one spelling check of the verification: verifiers take only what it lets through (CanonicalCompactJws).
  if (typeof token !== 'string' || token.length > MAX_ACCESS_TOKEN_LENGTH || !isCanonicalCompactJws(token)) {
    throw new AccessTokenInvalidError()
  }
  let payload: JWTPayload
  try {
    const result = verifier(keys, policy, token, now)
    payload = result instanceof Promise ? await result : result
  } catch (error) {
    throw toAccessTokenError(error)
  }
  if (typeof payload.sid !== 'string' || typeof payload.sub !== 'string' || typeof payload.jti !== 'string') {
    throw new AccessTokenInvalidError('The access token lacks a subject or session.')
  }
  // jose accepts any JSON number, and JSON.parse('1e400') is Infinity: a token that never expires.
  if (![payload.iat, payload.exp, payload.nbf ?? 0].every(Number.isFinite)) {
    throw new AccessTokenInvalidError('The access token has a non-finite time claim.')
  }
  // jose checks `iat` only when `maxTokenAge` is set; refuse tokens issued in the future.
  if ((payload.iat as number) > Math.floor(now / 1000) + policy.clockTolerance) {
    throw new AccessTokenInvalidError('The access token was issued in the future.')
  }
  return payload as AccessTokenClaims
}

/** Maps jose's errors onto Baton's at the package boundary. */
export function toAccessTokenError(error: unknown): AccessTokenInvalidError | AccessTokenExpiredError {
  if (error instanceof AccessTokenInvalidError || error instanceof AccessTokenExpiredError) return error
  if (error instanceof joseErrors.JWTExpired) return new AccessTokenExpiredError(undefined, { cause: error })
  return new AccessTokenInvalidError(undefined, { cause: error })
}
