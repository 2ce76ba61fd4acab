/**
 * Differential test of the Node fast path against jose: fast-check builds
 * tokens that are nearly right (headers, claims, times, encodings and keys
 * varied one or several at a time, all correctly signed unless the signature
 * is what varies) and checks that the fast path accepts a token only when jose
 * accepts it, with the same claims, and that it accepts every token jose
 * accepts that carries no `crit` header. The attack catalogue in
 * access-token.test.ts runs against both verifiers as well.
 */
import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import { isCanonicalCompactJws } from './internal/compact-jws.js'
import { type AccessTokenPolicy, verifyJwt as verifyWithJose } from './jwt-verifier.js'
import { fastVerifyJwt } from './jwt-verifier.node.js'
import { asymmetricKeySet, generateSigningKey, hmacKeySet, type KeySet } from './key-set.js'
import { deriveSecret } from './secret.js'

const NOW_S = Date.UTC(2030, 0, 1, 12) / 1000
const encoder = new TextEncoder()

function b64u(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64url')
}

const json = (value: unknown) => encoder.encode(typeof value === 'string' ? value : JSON.stringify(value))

let hs: KeySet
let ed: KeySet
let es: KeySet
let mixed: KeySet

beforeAll(async () => {
  hs = hmacKeySet([await deriveSecret('x'.repeat(32)), await deriveSecret('y'.repeat(32))])
  const edKey = await generateSigningKey({ kid: 'ed-1' })
  const esKey = await generateSigningKey({ alg: 'ES256', kid: 'es-1' })
  ed = await asymmetricKeySet({ sign: edKey.privateJwk })
  es = await asymmetricKeySet({ sign: esKey.privateJwk })
  mixed = await asymmetricKeySet({ sign: edKey.privateJwk, verify: [esKey.publicJwk] })
})

async function sign(keys: KeySet, input: string): Promise<Uint8Array> {
  const data = encoder.encode(input)
  const key = keys.signing.key
  if (keys.signing.alg === 'HS256') return new Uint8Array(await crypto.subtle.sign('HMAC', key, data))
  if (keys.signing.alg === 'EdDSA') return new Uint8Array(await crypto.subtle.sign('Ed25519', key, data))
  return new Uint8Array(await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, key, data))
}

const anyOf = <T>(...values: T[]) => fc.constantFrom(...values)
/** Mostly the valid value, sometimes one of the others (`undefined`: the member is left out). */
const mostly = (valid: unknown, ...others: unknown[]) =>
  fc.oneof({ weight: 12, arbitrary: fc.constant(valid) }, { weight: 1, arbitrary: fc.constantFrom(...others) })
const time = (valid: number | undefined) =>
  fc.oneof(
    { weight: 4, arbitrary: fc.constant(valid) },
    { weight: 2, arbitrary: fc.integer({ min: -120, max: 120 }).map((d) => NOW_S + d) },
    {
      weight: 1,
      arbitrary: anyOf<unknown>(
        undefined,
        null,
        '1',
        true,
        Number.POSITIVE_INFINITY,
        Number.NEGATIVE_INFINITY,
        NOW_S + 0.5,
        [NOW_S],
      ),
    },
  )

const headerArb = fc.record({
  alg: mostly('signing', 'HS256', 'EdDSA', 'ES256', 'none', 'hs256', 'HS512', '', ['HS256'], null, undefined),
  kid: mostly('signing', 'ed-1', 'es-1', 'other', '', 42, ['ed-1'], '__proto__', undefined),
  typ: mostly('at+jwt', 'AT+JWT', 'application/at+jwt', 'JWT', 'at+jwt ', '', 42, 'application/jwt', undefined),
  crit: mostly(undefined, ['b64'], [], ['urn:x'], 'b64', ['b64', 'b64']),
  b64: mostly(undefined, true, false, 'false'),
  extra: mostly(undefined, { jku: 'https://attacker.test' }, { jwk: { kty: 'oct' } }),
})

const claimsArb = fc.record({
  sub: mostly('user-1', 1, null, undefined),
  sid: mostly('session-1', 2, undefined),
  jti: mostly('jti-1', ['x'], undefined),
  iss: mostly('https://app.test', 'https://evil.test', ['https://app.test'], null, undefined),
  aud: mostly('https://app.test', ['https://app.test'], ['x', 'https://app.test'], [], 'x', 5, undefined),
  iat: time(NOW_S),
  exp: time(NOW_S + 60),
  nbf: time(undefined),
})

/** How the compact form is assembled: the right way, or with one twist. */
const encodingArb = mostly(
  'plain',
  'bom-header',
  'bom-payload',
  'array-payload',
  'latin1-payload',
  'tampered-signature',
  'short-signature',
  'long-signature',
  'payload-mod4',
)

async function build(
  keys: KeySet,
  header: Record<string, unknown>,
  claims: Record<string, unknown>,
  encoding: string,
): Promise<string> {
  const { extra, kid, alg, ...rest } = header as { extra?: object; kid?: unknown; alg?: unknown }
  const fullHeader: Record<string, unknown> = {
    alg: alg === 'signing' ? keys.signing.alg : alg,
    ...rest,
    ...(extra ?? {}),
  }
  if (kid === 'signing') fullHeader.kid = keys.signing.kid
  else if (kid !== undefined) fullHeader.kid = kid
  for (const [name, value] of Object.entries(fullHeader)) if (value === undefined) delete fullHeader[name]
  let claimsJson = JSON.stringify(claims, (_k, v) =>
    v === Number.POSITIVE_INFINITY ? '__INF__' : v === Number.NEGATIVE_INFINITY ? '__NINF__' : v,
  )
  claimsJson = claimsJson.replace('"__INF__"', '1e400').replace('"__NINF__"', '-1e400')
  let headerBytes = json(fullHeader)
  let payloadBytes = json(claimsJson)
  if (encoding === 'bom-header') headerBytes = new Uint8Array([0xef, 0xbb, 0xbf, ...headerBytes])
  if (encoding === 'bom-payload') payloadBytes = new Uint8Array([0xef, 0xbb, 0xbf, ...payloadBytes])
  if (encoding === 'array-payload') payloadBytes = json([claims])
  if (encoding === 'latin1-payload') payloadBytes = new Uint8Array([...payloadBytes.slice(0, -1), 0xe9, 0x7d])
  let signingInput = `${b64u(headerBytes)}.${b64u(payloadBytes)}`
  if (encoding === 'payload-mod4') {
    let p = b64u(payloadBytes)
    while (p.length % 4 !== 1) p += 'A'
    signingInput = `${b64u(headerBytes)}.${p}`
  }
  let signature = await sign(keys, signingInput)
  if (encoding === 'tampered-signature') signature = signature.map((b, i) => (i === 3 ? b ^ 1 : b))
  if (encoding === 'short-signature') signature = signature.slice(0, -1)
  if (encoding === 'long-signature') signature = new Uint8Array([...signature, 0])
  return `${signingInput}.${b64u(signature)}`
}

const policyArb = fc.record({
  issuer: fc.constant('https://app.test'),
  audience: fc.constant('https://app.test'),
  clockTolerance: anyOf(0, 5, 60),
})

/** jose as `verifyAccessToken` runs it: only after the spelling check, which refuses the rest. */
async function joseVerdict(keys: KeySet, policy: AccessTokenPolicy, token: string, now: number) {
  try {
    if (!isCanonicalCompactJws(token)) throw new Error('not canonical')
    return { ok: true as const, payload: await verifyWithJose(keys, policy, token, now) }
  } catch (error) {
    return { ok: false as const, error }
  }
}

describe('node:crypto fast path against jose', () => {
  it('accepts exactly what jose accepts (crit aside, which it leaves to jose)', async () => {
    let accepted = 0
    await fc.assert(
      fc.asyncProperty(
        anyOf('hs', 'ed', 'es', 'mixed'),
        headerArb,
        claimsArb,
        encodingArb,
        policyArb,
        fc.integer({ min: -30_000, max: 30_000 }),
        async (which, header, claims, encoding, policy, skewMs) => {
          const keys = { hs, ed, es, mixed }[which] as KeySet
          const token = await build(keys, header, claims as Record<string, unknown>, encoding as string)
          const now = NOW_S * 1000 + skewMs
          const fast = fastVerifyJwt(keys, policy, token, now)
          const jose = await joseVerdict(keys, policy, token, now)
          if (fast !== undefined) {
            accepted++
            expect(jose.ok, `fast path accepted what jose rejects: ${token}`).toBe(true)
            expect(fast).toEqual(jose.ok ? jose.payload : undefined)
          } else if (jose.ok && header.crit === undefined && !String(encoding).startsWith('bom')) {
            expect.fail(`fast path declined a token jose accepts: ${token}`)
          }
        },
      ),
      { numRuns: 3_000 },
    )
    // The generator must reach the accepting side often enough to mean something.
    expect(accepted).toBeGreaterThan(300)
  }, 120_000)

  it('accepts a well-formed token of every algorithm without jose', async () => {
    for (const keys of [hs, ed, es]) {
      const header = { alg: keys.signing.alg, kid: 'signing', typ: 'at+jwt' }
      const claims = {
        sub: 'u',
        sid: 's',
        jti: 'j',
        iss: 'https://app.test',
        aud: 'https://app.test',
        iat: NOW_S,
        exp: NOW_S + 900,
      }
      const token = await build(keys, header, claims, 'plain')
      const policy = { issuer: 'https://app.test', audience: 'https://app.test', clockTolerance: 5 }
      expect(fastVerifyJwt(keys, policy, token, NOW_S * 1000)).toEqual(claims)
    }
  })
})
