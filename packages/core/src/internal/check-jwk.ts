/**
 * The checks every JWK passes before Baton imports it into a key set
 * (`key-set.ts`): a JWK object, a usable `kid`, a key meant for signatures
 * (RFC 7517 §4.2 `use`, §4.3 `key_ops`), and an algorithm with its curve.
 * Each refusal is a `ConfigError` that names the entry and its `kid`.
 */
import { ConfigError } from '../errors.js'
import type { KeyedJwk } from '../key-set.js'

/** What a key set does with a JWK: sign access tokens, or verify them. */
export type KeyOperation = 'sign' | 'verify'

const KID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/
const SIGNATURE_OPERATIONS: ReadonlySet<unknown> = new Set(['sign', 'verify'])

/**
 * Refuses a JWK that is not meant for `operation` on signatures: `use` other
 * than "sig" (RFC 7517 §4.2), or `key_ops` (§4.3) that is not a list of
 * distinct operations, lacks `operation`, or names an operation other than
 * sign or verify (an encryption use beside the signature one: §4.3 asks that
 * `use` and `key_ops` agree, and that unrelated operations not share a key).
 */
function checkKeyUse(jwk: KeyedJwk, role: string, operation: KeyOperation): void {
  const name = `${role} (${jwk.kid})`
  if (jwk.use !== undefined && jwk.use !== 'sig') {
    throw new ConfigError(`${name}: \`use\` is ${JSON.stringify(jwk.use)}; a key for signatures needs "sig".`)
  }
  const ops: unknown = jwk.key_ops
  if (ops === undefined) return
  if (!Array.isArray(ops) || new Set(ops).size !== ops.length) {
    throw new ConfigError(`${name}: \`key_ops\` must be a list of distinct operations.`)
  }
  if (!ops.includes(operation) || !ops.every((op) => SIGNATURE_OPERATIONS.has(op))) {
    throw new ConfigError(
      `${name}: \`key_ops\` is ${JSON.stringify(ops)}; this key must allow "${operation}" and nothing but "sign" and "verify".`,
    )
  }
}

/**
 * Checks one JWK of a key set: a `kid` of 1-64 characters of
 * [A-Za-z0-9._-], `use`/`key_ops` allowing `operation`, and alg EdDSA with
 * Ed25519 or ES256 with P-256. Key material is checked when imported.
 *
 * @throws ConfigError naming `role` and the key's `kid`
 */
export function checkJwk(jwk: KeyedJwk, role: string, operation: KeyOperation): void {
  if (!jwk || typeof jwk !== 'object') throw new ConfigError(`${role}: a JWK object is required.`)
  if (typeof jwk.kid !== 'string' || !KID_PATTERN.test(jwk.kid)) {
    throw new ConfigError(`${role}: \`kid\` must be 1-64 characters of [A-Za-z0-9._-].`)
  }
  checkKeyUse(jwk, role, operation)
  const ok =
    (jwk.alg === 'EdDSA' && jwk.kty === 'OKP' && jwk.crv === 'Ed25519') ||
    (jwk.alg === 'ES256' && jwk.kty === 'EC' && jwk.crv === 'P-256')
  if (!ok) throw new ConfigError(`${role} (${jwk.kid}): use alg EdDSA with Ed25519, or ES256 with P-256.`)
}
