import type { JWK } from 'jose'
import { exportJWK } from 'jose/key/export'
import { generateKeyPair } from 'jose/key/generate/keypair'
import { importJWK } from 'jose/key/import'
import { ConfigError } from './errors.js'
import { checkJwk } from './internal/check-jwk.js'
import type { DerivedSecret } from './secret.js'

/** The access-token algorithms Baton signs and accepts. */
export type AccessTokenAlgorithm = 'HS256' | 'EdDSA' | 'ES256'

/** A JSON Web Key that carries its `kid` and `alg`. */
export type KeyedJwk = JWK & { kid: string; alg: 'EdDSA' | 'ES256' }

/** Asymmetric signing keys: one signs, every listed key verifies. */
export interface SigningKeysOptions {
  /** The private JWK that signs new tokens (its public half also verifies). */
  sign: KeyedJwk
  /** Public JWKs still accepted: previous keys during a rotation, or the next one. */
  verify?: readonly KeyedJwk[]
}

/** One key that may verify an access token. */
export interface VerificationKey {
  readonly kid: string
  readonly alg: AccessTokenAlgorithm
  readonly key: CryptoKey
}

/** The keys of one Baton instance. */
export interface KeySet {
  /** The algorithms verification accepts; never widened by a token's header. */
  readonly algorithms: readonly AccessTokenAlgorithm[]
  /** The key new tokens are signed with. */
  readonly signing: VerificationKey & { readonly key: CryptoKey }
  /** Finds the key for a token header's `kid`/`alg`, or undefined. */
  find(kid: unknown, alg: unknown): VerificationKey | undefined
  /** The public JSON Web Key Set (empty for HS256, whose key is secret). */
  readonly jwks: { readonly keys: readonly JWK[] }
}

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k', 'oth'] as const

function lookup(keys: readonly VerificationKey[]) {
  const byKid = new Map(keys.map((k) => [k.kid, k]))
  return (kid: unknown, alg: unknown): VerificationKey | undefined => {
    if (typeof kid !== 'string') return undefined
    const key = byKid.get(kid)
    return key && key.alg === alg ? key : undefined
  }
}

/** HS256 keys derived from the server secret(s); the first signs. */
export function hmacKeySet(secrets: readonly DerivedSecret[]): KeySet {
  const keys = secrets.map((s) => ({ kid: s.kid, alg: 'HS256' as const, key: s.accessTokenKey }))
  const signing = keys[0]
  if (!signing) throw new ConfigError('At least one secret is required.')
  return { algorithms: ['HS256'], signing, find: lookup(keys), jwks: { keys: [] } }
}

/**
 * The public half of a JWK: every private member removed, `key_ops` and
 * `ext` dropped and `use: "sig"` set. Check the JWK as given first: this
 * rewrites the members that say what the key is for.
 */
export function publicJwk(jwk: KeyedJwk): KeyedJwk {
  const copy: Record<string, unknown> = { ...jwk }
  for (const member of PRIVATE_MEMBERS) delete copy[member]
  delete copy.key_ops
  delete copy.ext
  return { ...(copy as KeyedJwk), use: 'sig' }
}

async function importKey(jwk: KeyedJwk, role: string): Promise<CryptoKey> {
  try {
    return (await importJWK(jwk, jwk.alg)) as CryptoKey
  } catch (cause) {
    throw new ConfigError(`${role} (${jwk.kid}): the key material is invalid.`, { cause })
  }
}

/**
 * Checks signing-key options synchronously (shape, kid, algorithm/curve,
 * distinct kids) and returns the public JWKs that verify. Key material itself
 * is checked when imported.
 */
export function checkSigningKeys(options: SigningKeysOptions): KeyedJwk[] {
  if (!options || typeof options !== 'object') throw new ConfigError('keys: expected `{ sign, verify? }`.')
  checkJwk(options.sign, 'keys.sign', 'sign')
  for (const [i, jwk] of (options.verify ?? []).entries()) checkJwk(jwk, role(i + 1), 'verify')
  if (typeof options.sign.d !== 'string') throw new ConfigError('keys.sign must be a private JWK (with `d`).')
  const verifyJwks = [publicJwk(options.sign), ...(options.verify ?? []).map(publicJwk)]
  verifyJwks.forEach((jwk, i) => {
    checkJwk(jwk, role(i), 'verify')
  })
  if (new Set(verifyJwks.map((k) => k.kid)).size !== verifyJwks.length) {
    throw new ConfigError('Every key needs a distinct `kid`.')
  }
  return verifyJwks
}

const role = (i: number) => (i === 0 ? 'keys.sign' : `keys.verify[${i - 1}]`)

/** EdDSA/ES256 keys from JWKs; `sign` must hold its private member `d`. */
export async function asymmetricKeySet(options: SigningKeysOptions): Promise<KeySet> {
  const verifyJwks = checkSigningKeys(options)
  const keys: VerificationKey[] = []
  for (const [i, jwk] of verifyJwks.entries()) {
    keys.push({ kid: jwk.kid, alg: jwk.alg, key: await importKey(jwk, role(i)) })
  }
  // `key_ops` was checked above; WebCrypto would refuse a private key whose list also says "verify".
  const { key_ops: _checked, ...signJwk } = options.sign
  const signKey = await importKey({ ...signJwk, ext: false }, 'keys.sign')
  const signing = { kid: options.sign.kid, alg: options.sign.alg, key: signKey }
  const algorithms = [...new Set(keys.map((k) => k.alg))]
  return { algorithms, signing, find: lookup(keys), jwks: { keys: verifyJwks } }
}

/** Options of {@link generateSigningKey}. */
export interface GenerateSigningKeyOptions {
  /** `EdDSA` (Ed25519, the default) or `ES256` (P-256). */
  alg?: 'EdDSA' | 'ES256'
  /** The key id; defaults to the algorithm and the current date. */
  kid?: string
}

/** Generates a signing key pair as JWKs, ready for `keys.sign` / `keys.verify`. */
export async function generateSigningKey(
  options: GenerateSigningKeyOptions = {},
): Promise<{ privateJwk: KeyedJwk; publicJwk: KeyedJwk }> {
  const alg = options.alg ?? 'EdDSA'
  const kid = options.kid ?? `${alg.toLowerCase()}-${new Date().toISOString().slice(0, 10)}`
  const pair = await generateKeyPair(alg, { extractable: true, crv: alg === 'EdDSA' ? 'Ed25519' : undefined })
  const privateJwk = { ...(await exportJWK(pair.privateKey)), kid, alg } as KeyedJwk
  return { privateJwk, publicJwk: publicJwk(privateJwk) }
}

/**
 * A verify-only key set from public JWKs (e.g. your JWKS), for places that
 * must never hold a private key, such as an Edge proxy. It cannot sign.
 */
export async function publicKeySet(jwks: readonly KeyedJwk[]): Promise<KeySet> {
  if (!Array.isArray(jwks) || jwks.length === 0)
    throw new ConfigError('publicKeySet: at least one public JWK is required.')
  // Checked as given, before publicJwk() drops `key_ops` and sets `use`: a key for encryption never verifies.
  jwks.forEach((jwk, i) => {
    checkJwk(jwk, `publicKeys[${i}]`, 'verify')
  })
  const publics = jwks.map(publicJwk)
  if (new Set(publics.map((k) => k.kid)).size !== publics.length)
    throw new ConfigError('Every key needs a distinct `kid`.')
  const keys: VerificationKey[] = []
  for (const [i, jwk] of publics.entries())
    keys.push({ kid: jwk.kid, alg: jwk.alg, key: await importKey(jwk, `publicKeys[${i}]`) })
  const signing = keys[0] as VerificationKey
  return {
    algorithms: [...new Set(keys.map((k) => k.alg))],
    signing: { ...signing, key: signing.key },
    find: lookup(keys),
    jwks: { keys: publics },
  }
}
