import {
  CompactSign,
  decodeJwt,
  decodeProtectedHeader,
  exportSPKI,
  FlattenedSign,
  GeneralSign,
  generateKeyPair,
  importJWK,
  type JWTPayload,
  SignJWT,
} from 'jose'
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import {
  ACCESS_TOKEN_TYPE,
  type AccessTokenInput,
  type AccessTokenPolicy,
  MAX_ACCESS_TOKEN_LENGTH,
  signAccessToken,
  verifyAccessToken,
  verifyAccessTokenWith,
} from './access-token.js'
import { AccessTokenExpiredError, AccessTokenInvalidError, BatonError, ConfigError } from './errors.js'
import { type JwtVerifier, verifyJwt as verifyWithJose } from './jwt-verifier.js'
import { asymmetricKeySet, generateSigningKey, hmacKeySet, type KeyedJwk, type KeySet } from './key-set.js'
import { deriveSecret } from './secret.js'

const policy: AccessTokenPolicy = { issuer: 'https://app.test', audience: 'https://app.test', clockTolerance: 5 }
/** A fixed "now", on a whole second. */
const NOW = Date.UTC(2030, 0, 1, 12, 0, 0)
const NOW_S = NOW / 1000
const TTL_MS = 15 * 60 * 1000

const input = (overrides: Partial<AccessTokenInput> = {}): AccessTokenInput => ({
  subject: 'user-1',
  sessionId: 'session-1',
  issuedAt: NOW,
  expiresAt: NOW + TTL_MS,
  ...overrides,
})

// ---------------------------------------------------------------- helpers

const encoder = new TextEncoder()
const decoder = new TextDecoder()

function b64u(value: string | Uint8Array | object): string {
  const bytes =
    value instanceof Uint8Array ? value : encoder.encode(typeof value === 'string' ? value : JSON.stringify(value))
  let binary = ''
  for (const byte of bytes) binary += String.fromCharCode(byte)
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

function fromB64u(value: string): Uint8Array<ArrayBuffer> {
  const binary = atob(value.replace(/-/g, '+').replace(/_/g, '/'))
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  return bytes
}

function decodePart(part: string): Record<string, unknown> {
  return JSON.parse(decoder.decode(fromB64u(part))) as Record<string, unknown>
}

/** Claims of a well-formed Baton token, for hand-crafted tokens. */
function claims(overrides: Record<string, unknown> = {}): JWTPayload {
  return {
    sub: 'user-1',
    sid: 'session-1',
    jti: 'jti-1',
    iat: NOW_S,
    exp: NOW_S + TTL_MS / 1000,
    iss: policy.issuer,
    aud: policy.audience,
    ...overrides,
  }
}

/** The header Baton would write for `keys`. */
function header(keys: KeySet, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { alg: keys.signing.alg, kid: keys.signing.kid, typ: ACCESS_TOKEN_TYPE, ...overrides }
}

/** Signs arbitrary header/payload with any key jose accepts (crit entries allowed). */
async function craft(
  key: CryptoKey | Uint8Array,
  protectedHeader: Record<string, unknown>,
  payload: JWTPayload | Uint8Array,
): Promise<string> {
  const crit = Array.isArray(protectedHeader.crit)
    ? Object.fromEntries((protectedHeader.crit as string[]).map((name) => [name, true]))
    : undefined
  const bytes = payload instanceof Uint8Array ? payload : encoder.encode(JSON.stringify(payload))
  return new CompactSign(bytes)
    .setProtectedHeader(protectedHeader as { alg: string })
    .sign(key, crit ? { crit } : undefined)
}

/** Signs with raw HMAC-SHA256, bypassing jose (so the header may say anything). */
async function hmacRaw(key: CryptoKey, protectedHeader: Record<string, unknown>, payload: object): Promise<string> {
  const signingInput = `${b64u(protectedHeader)}.${b64u(payload)}`
  const sig = await crypto.subtle.sign('HMAC', key, encoder.encode(signingInput))
  return `${signingInput}.${b64u(new Uint8Array(sig))}`
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise
  } catch (error) {
    return error
  }
  throw new Error('expected the promise to reject, but it resolved')
}

async function expectInvalid(promise: Promise<unknown>): Promise<AccessTokenInvalidError> {
  const error = await rejection(promise)
  expect(error).toBeInstanceOf(BatonError)
  expect(error).toBeInstanceOf(AccessTokenInvalidError)
  expect(error).not.toBeInstanceOf(AccessTokenExpiredError)
  expect((error as BatonError).code).toBe('ERR_ACCESS_TOKEN_INVALID')
  expect((error as BatonError).status).toBe(401)
  return error as AccessTokenInvalidError
}

async function expectExpired(promise: Promise<unknown>): Promise<AccessTokenExpiredError> {
  const error = await rejection(promise)
  if (current.fastOnly) {
    // The fast path never classifies a rejection: it declines, and jose says "expired".
    expect(error).toBeInstanceOf(AccessTokenInvalidError)
    expect((error as Error).message).toBe(DECLINED)
    return error as AccessTokenExpiredError
  }
  expect(error).toBeInstanceOf(BatonError)
  expect(error).toBeInstanceOf(AccessTokenExpiredError)
  expect((error as BatonError).code).toBe('ERR_ACCESS_TOKEN_EXPIRED')
  return error as AccessTokenExpiredError
}

// ---------------------------------------------------------------- verifiers

declare const EdgeRuntime: string | undefined

/**
 * Every attack below runs against each JWS/JWT verifier `verifyAccessToken`
 * may use: jose on WebCrypto (every runtime), and on Node the node:crypto fast
 * path, both as shipped (jose decides whatever it declines) and alone, its
 * declines turned into a plain rejection, which proves that the fast path by
 * itself accepts no attack and accepts every valid token.
 */
interface Verifier {
  name: string
  verifier: JwtVerifier
  /** The fast path alone: a declined token rejects with DECLINED, never with jose's verdict. */
  fastOnly: boolean
}

const DECLINED = 'declined by the fast path'
const node = typeof EdgeRuntime === 'string' ? undefined : await import('./jwt-verifier.node.js')
const verifiers: Verifier[] = [
  { name: 'jose (WebCrypto)', verifier: verifyWithJose, fastOnly: false },
  ...(node
    ? [
        { name: 'node:crypto fast path + jose fallback', verifier: node.verifyJwt, fastOnly: false },
        {
          name: 'node:crypto fast path alone',
          verifier: node.nodeJwtVerifier(() => Promise.reject(new AccessTokenInvalidError(DECLINED))),
          fastOnly: true,
        },
      ]
    : []),
]
let current: Verifier = verifiers[0] as Verifier

const verifyWith = (keys: KeySet, p: AccessTokenPolicy, token: unknown, now: number) =>
  verifyAccessTokenWith(current.verifier, keys, p, token, now)
const verify = (keys: KeySet, token: unknown, now = NOW) => verifyWith(keys, policy, token, now)

it('verifyAccessToken uses the node:crypto fast path on Node and jose on the Edge', async () => {
  const { JWT_VERIFIER } = await import('#jwt-verifier')
  expect(JWT_VERIFIER).toBe(node ? 'node:crypto (jose fallback)' : 'jose (WebCrypto)')
  const keys = hmacKeySet([await deriveSecret('x'.repeat(32))])
  const token = await signAccessToken(keys, policy, input())
  await expect(verifyAccessToken(keys, policy, token, NOW)).resolves.toMatchObject({ sub: 'user-1' })
})

// ---------------------------------------------------------------- fixtures

let hs: KeySet
let ed: KeySet
let es: KeySet
let edJwk: { privateJwk: KeyedJwk; publicJwk: KeyedJwk }
let esJwk: { privateJwk: KeyedJwk; publicJwk: KeyedJwk }
let mixed: KeySet

beforeAll(async () => {
  hs = hmacKeySet([await deriveSecret('x'.repeat(32))])
  edJwk = await generateSigningKey({ kid: 'ed-1' })
  esJwk = await generateSigningKey({ alg: 'ES256', kid: 'es-1' })
  ed = await asymmetricKeySet({ sign: edJwk.privateJwk })
  es = await asymmetricKeySet({ sign: esJwk.privateJwk })
  // Signs with EdDSA, also accepts the ES256 key: both algorithms are allowed.
  mixed = await asymmetricKeySet({ sign: edJwk.privateJwk, verify: [esJwk.publicJwk] })
})

afterEach(() => {
  vi.restoreAllMocks()
})

const sets = () =>
  [
    ['HS256', hs],
    ['EdDSA', ed],
    ['ES256', es],
  ] as const

// ---------------------------------------------------------------- the catalogue, per verifier

describe.each(verifiers)('verifier: $name', (verifier) => {
  beforeAll(() => {
    current = verifier
  })

  // ---------------------------------------------------------------- round trip

  describe('round trip', () => {
    it.each(['HS256', 'EdDSA', 'ES256'] as const)('%s: signs and verifies with every claim and header', async (alg) => {
      const keys = sets().find(([name]) => name === alg)![1]
      const token = await signAccessToken(keys, policy, input({ claims: { role: 'admin', user: { name: 'Ada' } } }))

      const head = decodeProtectedHeader(token)
      expect(head).toEqual({ alg, kid: keys.signing.kid, typ: 'at+jwt' })

      const verified = await verify(keys, token)
      expect(verified).toMatchObject({
        sub: 'user-1',
        sid: 'session-1',
        iat: NOW_S,
        exp: NOW_S + TTL_MS / 1000,
        iss: 'https://app.test',
        aud: 'https://app.test',
        role: 'admin',
        user: { name: 'Ada' },
      })
      expect(typeof verified.jti).toBe('string')
      expect(verified.jti.length).toBeGreaterThanOrEqual(16)
      expect(verified).toEqual(decodeJwt(token))
    })

    it('gives every token a distinct jti', async () => {
      const a = await verify(hs, await signAccessToken(hs, policy, input()))
      const b = await verify(hs, await signAccessToken(hs, policy, input()))
      expect(a.jti).not.toBe(b.jti)
    })

    it('floors ms times to whole seconds', async () => {
      const token = await signAccessToken(hs, policy, input({ issuedAt: NOW + 999, expiresAt: NOW + 60_999 }))
      const verified = await verify(hs, token, NOW + 999)
      expect(verified.iat).toBe(NOW_S)
      expect(verified.exp).toBe(NOW_S + 60)
    })

    it('a token verifies only under the key set that signed it', async () => {
      const fromEd = await signAccessToken(ed, policy, input())
      const fromEs = await signAccessToken(es, policy, input())
      const fromHs = await signAccessToken(hs, policy, input())
      await expectInvalid(verify(hs, fromEd))
      await expectInvalid(verify(es, fromEd))
      await expectInvalid(verify(ed, fromEs))
      await expectInvalid(verify(ed, fromHs))
      await expectInvalid(verify(es, fromHs))
    })
  })

  // ---------------------------------------------------------------- alg: none

  describe('alg: none', () => {
    it.each(['none', 'None', 'NONE', 'nOnE'])('rejects alg %s with an empty or junk signature', async (alg) => {
      for (const keys of [hs, ed, es]) {
        const unsigned = `${b64u(header(keys, { alg }))}.${b64u(claims())}`
        await expectInvalid(verify(keys, `${unsigned}.`))
        await expectInvalid(verify(keys, unsigned))
        await expectInvalid(verify(keys, `${unsigned}.${b64u('junk')}`))
        await expectInvalid(verify(keys, `${unsigned}.AAAA`))
      }
    })

    it('rejects alg none without kid or typ', async () => {
      const unsigned = `${b64u({ alg: 'none' })}.${b64u(claims())}`
      await expectInvalid(verify(hs, `${unsigned}.`))
      await expectInvalid(verify(hs, `${unsigned}.x`))
    })

    it('rejects case variants of a real algorithm even when the HMAC is correct', async () => {
      const key = hs.signing.key
      // Control: the raw HMAC helper makes tokens that verify.
      await expect(verify(hs, await hmacRaw(key, header(hs), claims()))).resolves.toMatchObject({ sub: 'user-1' })
      for (const alg of ['hs256', 'Hs256', 'HS256 ', 'HS384', 'HS512', '', 'RS256', 'ES256', 'EdDSA']) {
        await expectInvalid(verify(hs, await hmacRaw(key, header(hs, { alg }), claims())))
      }
      await expectInvalid(verify(hs, await hmacRaw(key, { kid: hs.signing.kid, typ: 'at+jwt' }, claims())))
      await expectInvalid(verify(hs, await hmacRaw(key, header(hs, { alg: ['HS256'] }), claims())))
    })
  })

  // ---------------------------------------------------------------- algorithm confusion

  describe('algorithm confusion', () => {
    async function publicKeyForms(jwk: KeyedJwk): Promise<Uint8Array[]> {
      const pub = { ...jwk }
      delete pub.d
      const spki = await exportSPKI((await importJWK(pub, jwk.alg, { extractable: true })) as CryptoKey)
      const raw = jwk.kty === 'OKP' ? fromB64u(jwk.x!) : new Uint8Array([4, ...fromB64u(jwk.x!), ...fromB64u(jwk.y!)])
      return [
        raw,
        encoder.encode(spki),
        encoder.encode(spki.trim()),
        encoder.encode(JSON.stringify(pub)),
        encoder.encode(JSON.stringify(jwk)), // even with `d` leaked the HMAC path must not exist
        encoder.encode(jwk.x!),
      ]
    }

    it.each(['EdDSA', 'ES256'] as const)('rejects HS256 tokens keyed with the %s public key bytes', async (alg) => {
      const keys = alg === 'EdDSA' ? ed : es
      const jwk = alg === 'EdDSA' ? edJwk.privateJwk : esJwk.privateJwk
      expect(keys.algorithms).not.toContain('HS256')
      for (const secret of await publicKeyForms(jwk)) {
        for (const kid of [keys.signing.kid, undefined]) {
          const token = await new SignJWT(claims())
            .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt', ...(kid ? { kid } : {}) })
            .sign(secret)
          await expectInvalid(verify(keys, token))
          await expectInvalid(verify(mixed, token))
        }
      }
    })

    it('rejects EdDSA and ES256 tokens presented to an HS256 key set', async () => {
      for (const signer of [ed, es]) {
        const sameKid = await craft(signer.signing.key, header(signer, { kid: hs.signing.kid }), claims())
        await expectInvalid(verify(hs, sameKid))
        await expectInvalid(verify(hs, await signAccessToken(signer, policy, input())))
      }
    })

    it("rejects a token whose header alg differs from the kid's key alg", async () => {
      // `mixed` trusts ed-1 (EdDSA) and es-1 (ES256): both algorithms are on the list.
      expect([...mixed.algorithms].sort()).toEqual(['ES256', 'EdDSA'])
      const esSigned = (await importJWK(esJwk.privateJwk, 'ES256')) as CryptoKey
      // Control: ES256 under its own kid is accepted.
      const good = await craft(esSigned, { alg: 'ES256', kid: 'es-1', typ: 'at+jwt' }, claims())
      await expect(verify(mixed, good)).resolves.toMatchObject({ sub: 'user-1' })
      // ES256 signature presented under the EdDSA key's kid.
      await expectInvalid(verify(mixed, await craft(esSigned, { alg: 'ES256', kid: 'ed-1', typ: 'at+jwt' }, claims())))
      // EdDSA signature presented under the ES256 key's kid.
      await expectInvalid(
        verify(mixed, await craft(mixed.signing.key, { alg: 'EdDSA', kid: 'es-1', typ: 'at+jwt' }, claims())),
      )
      // Header alg swapped after signing (signature bytes from the other algorithm).
      const [, payload, sig] = good.split('.')
      await expectInvalid(verify(mixed, `${b64u({ alg: 'EdDSA', kid: 'es-1', typ: 'at+jwt' })}.${payload}.${sig}`))
      await expectInvalid(verify(mixed, `${b64u({ alg: 'EdDSA', kid: 'ed-1', typ: 'at+jwt' })}.${payload}.${sig}`))
    })

    it('enforces keys.algorithms even if find() would hand out a key', async () => {
      // A key set whose lookup ignores alg: only the pinned algorithm list stands in the way.
      const loose: KeySet = {
        ...mixed,
        algorithms: ['EdDSA'],
        find: (kid) => (kid === 'es-1' ? mixed.find('es-1', 'ES256') : mixed.find(kid, 'EdDSA')),
      }
      const esKey = (await importJWK(esJwk.privateJwk, 'ES256')) as CryptoKey
      const esToken = await craft(esKey, { alg: 'ES256', kid: 'es-1', typ: 'at+jwt' }, claims())
      await expect(verify(mixed, esToken)).resolves.toBeDefined() // control: ES256 is allowed there
      await expectInvalid(verify(loose, esToken))
      await expect(verify(loose, await signAccessToken(mixed, policy, input()))).resolves.toBeDefined()
    })

    it('find() never returns a key for a mismatched alg', () => {
      expect(mixed.find('ed-1', 'EdDSA')?.alg).toBe('EdDSA')
      expect(mixed.find('es-1', 'ES256')?.alg).toBe('ES256')
      expect(mixed.find('ed-1', 'ES256')).toBeUndefined()
      expect(mixed.find('es-1', 'EdDSA')).toBeUndefined()
      expect(mixed.find('ed-1', 'HS256')).toBeUndefined()
      expect(hs.find(hs.signing.kid, 'EdDSA')).toBeUndefined()
      expect(hs.find(hs.signing.kid, 'hs256')).toBeUndefined()
    })
  })

  // ---------------------------------------------------------------- forged and tampered

  describe('forgery and tampering', () => {
    it('rejects a foreign key under the same kid (asymmetric)', async () => {
      for (const alg of ['EdDSA', 'ES256'] as const) {
        const keys = alg === 'EdDSA' ? ed : es
        const foreign = await asymmetricKeySet({
          sign: (await generateSigningKey({ alg, kid: keys.signing.kid })).privateJwk,
        })
        expect(foreign.signing.kid).toBe(keys.signing.kid)
        await expectInvalid(verify(keys, await signAccessToken(foreign, policy, input())))
      }
    })

    it('rejects a foreign secret under the same kid (HS256)', async () => {
      const foreign = await deriveSecret('y'.repeat(32))
      const token = await craft(foreign.accessTokenKey, header(hs), claims())
      await expectInvalid(verify(hs, token))
      const raw = await new SignJWT(claims())
        .setProtectedHeader(header(hs) as { alg: string })
        .sign(encoder.encode('x'.repeat(32)))
      await expectInvalid(verify(hs, raw)) // the secret itself is not the key: HKDF derives it
    })

    it.each(['HS256', 'EdDSA', 'ES256'] as const)('%s: rejects a tampered payload', async (alg) => {
      const keys = sets().find(([name]) => name === alg)![1]
      const token = await signAccessToken(keys, policy, input())
      const [h, p, s] = token.split('.') as [string, string, string]
      for (const change of [{ sub: 'admin' }, { sid: 'other' }, { exp: NOW_S + 86_400 }, { role: 'admin' }]) {
        const forged = `${h}.${b64u({ ...decodePart(p), ...change })}.${s}`
        await expectInvalid(verify(keys, forged))
      }
      // Same claims, re-encoded with different whitespace: the signature covers bytes, not meaning.
      await expectInvalid(verify(keys, `${h}.${b64u(JSON.stringify(decodePart(p), null, 1))}.${s}`))
    })

    it.each(['HS256', 'EdDSA', 'ES256'] as const)('%s: rejects a tampered header or signature', async (alg) => {
      const keys = sets().find(([name]) => name === alg)![1]
      const token = await signAccessToken(keys, policy, input())
      const [h, p, s] = token.split('.') as [string, string, string]
      const head = decodePart(h)
      for (const change of [{ typ: 'AT+JWT' }, { extra: 1 }, { cty: 'JWT' }]) {
        await expectInvalid(verify(keys, `${b64u({ ...head, ...change })}.${p}.${s}`))
      }
      // Reordered members: same meaning, different bytes.
      const reordered = Object.fromEntries(Object.entries(head).reverse())
      await expectInvalid(verify(keys, `${b64u(reordered)}.${p}.${s}`))
      // Signature bit flip, truncation, removal, and another token's signature.
      const sig = fromB64u(s)
      sig[0] = (sig[0] as number) ^ 1
      await expectInvalid(verify(keys, `${h}.${p}.${b64u(sig)}`))
      await expectInvalid(verify(keys, `${h}.${p}.${s.slice(0, -4)}`))
      await expectInvalid(verify(keys, `${h}.${p}.`))
      const other = (await signAccessToken(keys, policy, input({ subject: 'user-2' }))).split('.')[2]
      await expectInvalid(verify(keys, `${h}.${p}.${other}`))
    })
  })

  // ---------------------------------------------------------------- claims and typ

  describe('claims and typ', () => {
    it('rejects the wrong issuer', async () => {
      const token = await signAccessToken(hs, { ...policy, issuer: 'https://evil.test' }, input())
      await expectInvalid(verify(hs, token))
      await expectInvalid(verify(hs, await craft(hs.signing.key, header(hs), claims({ iss: undefined }))))
      await expectInvalid(verify(hs, await craft(hs.signing.key, header(hs), claims({ iss: ['https://app.test'] }))))
    })

    it('rejects the wrong audience', async () => {
      const token = await signAccessToken(hs, { ...policy, audience: 'https://api.other.test' }, input())
      await expectInvalid(verify(hs, token))
      await expectInvalid(verify(hs, await craft(hs.signing.key, header(hs), claims({ aud: undefined }))))
      await expectInvalid(verify(hs, await craft(hs.signing.key, header(hs), claims({ aud: [] }))))
      await expectInvalid(verify(hs, await craft(hs.signing.key, header(hs), claims({ aud: ['https://other.test'] }))))
    })

    it('rejects a wrong or missing typ', async () => {
      for (const typ of ['JWT', 'jwt', 'at+jws', 'application/jwt', 'dpop+jwt', '', 42, null]) {
        await expectInvalid(verify(hs, await craft(hs.signing.key, header(hs, { typ }), claims())))
      }
      const { typ: _typ, ...withoutTyp } = header(hs)
      await expectInvalid(verify(hs, await craft(hs.signing.key, withoutTyp, claims())))
      await expectInvalid(
        verify(ed, await new SignJWT(claims()).setProtectedHeader({ alg: 'EdDSA', kid: 'ed-1' }).sign(ed.signing.key)),
      )
    })

    it('accepts the media-type spellings of at+jwt (RFC 7515 §4.1.9)', async () => {
      for (const typ of ['at+jwt', 'AT+JWT', 'application/at+jwt']) {
        await expect(verify(hs, await craft(hs.signing.key, header(hs, { typ }), claims()))).resolves.toMatchObject({
          sid: 'session-1',
        })
      }
    })

    it.each([
      ['missing sid', { sid: undefined }],
      ['sid a number', { sid: 42 }],
      ['sid null', { sid: null }],
      ['sid an object', { sid: { id: 'session-1' } }],
      ['sid an array', { sid: ['session-1'] }],
      ['missing jti', { jti: undefined }],
      ['jti a number', { jti: 7 }],
      ['missing sub', { sub: undefined }],
      ['sub a number', { sub: 1 }],
      ['missing iat', { iat: undefined }],
      ['iat a string', { iat: String(NOW_S) }],
      ['missing exp', { exp: undefined }],
      ['exp a string', { exp: String(NOW_S + 900) }],
      ['nbf a string', { nbf: 'now' }],
    ])('rejects a token with %s', async (_name, change) => {
      for (const keys of [hs, ed]) {
        await expectInvalid(verify(keys, await craft(keys.signing.key, header(keys), claims(change))))
      }
    })

    it('rejects payloads that are not a JSON object', async () => {
      for (const payload of ['[]', '"claims"', '42', 'null', 'not json', '{"sub":']) {
        await expectInvalid(verify(hs, await craft(hs.signing.key, header(hs), encoder.encode(payload))))
      }
    })
  })

  // ---------------------------------------------------------------- time

  describe('time', () => {
    const EXP = NOW + TTL_MS

    it('rejects an expired token beyond the clock tolerance with ERR_ACCESS_TOKEN_EXPIRED', async () => {
      for (const keys of [hs, ed, es]) {
        const token = await signAccessToken(keys, policy, input())
        const error = await expectExpired(verify(keys, token, EXP + 5_000))
        expect(error.status).toBe(401)
        await expectExpired(verify(keys, token, EXP + 6_000))
        await expectExpired(verify(keys, token, EXP + 86_400_000))
      }
    })

    it('accepts an expired token within the clock tolerance', async () => {
      const token = await signAccessToken(hs, policy, input())
      await expect(verify(hs, token, EXP - 1)).resolves.toMatchObject({ sub: 'user-1' })
      await expect(verify(hs, token, EXP)).resolves.toMatchObject({ sub: 'user-1' })
      await expect(verify(hs, token, EXP + 4_999)).resolves.toMatchObject({ sub: 'user-1' })
    })

    it('honours a zero clock tolerance', async () => {
      const strict = { ...policy, clockTolerance: 0 }
      const token = await signAccessToken(hs, strict, input())
      await expect(verifyWith(hs, strict, token, EXP - 1)).resolves.toBeDefined()
      await expectExpired(verifyWith(hs, strict, token, EXP))
    })

    it('reports EXPIRED only for authentic tokens that pass every other check', async () => {
      const token = await signAccessToken(hs, policy, input())
      const later = EXP + 60_000
      const [h, p, s] = token.split('.') as [string, string, string]
      // Forged signature: the last two characters replaced (by others than they were, or it is no forgery).
      await expectInvalid(verify(hs, `${h}.${p}.${s.slice(0, -2)}${s.endsWith('AA') ? 'BA' : 'AA'}`, later))
      await expectInvalid(verify(ed, token, later)) // unknown key
      await expectInvalid(
        verify(hs, await signAccessToken(hs, { ...policy, audience: 'https://x.test' }, input()), later),
      )
      await expectInvalid(
        verify(hs, await signAccessToken(hs, { ...policy, issuer: 'https://x.test' }, input()), later),
      )
      await expectInvalid(verify(hs, await craft(hs.signing.key, header(hs, { typ: 'JWT' }), claims()), later))
      const foreign = hmacKeySet([await deriveSecret('z'.repeat(32))])
      await expectInvalid(verify(hs, await signAccessToken(foreign, policy, input()), later))
    })

    it('rejects nbf in the future beyond the tolerance, accepts it within', async () => {
      await expectInvalid(verify(hs, await craft(hs.signing.key, header(hs), claims({ nbf: NOW_S + 6 }))))
      await expectInvalid(verify(hs, await craft(hs.signing.key, header(hs), claims({ nbf: NOW_S + 3_600 }))))
      await expect(
        verify(hs, await craft(hs.signing.key, header(hs), claims({ nbf: NOW_S + 5 }))),
      ).resolves.toBeDefined()
      await expect(
        verify(hs, await craft(hs.signing.key, header(hs), claims({ nbf: NOW_S - 60 }))),
      ).resolves.toBeDefined()
    })

    it('rejects iat in the future beyond the tolerance, accepts it within', async () => {
      const future = (s: number) => craft(hs.signing.key, header(hs), claims({ iat: NOW_S + s, exp: NOW_S + s + 900 }))
      await expectInvalid(verify(hs, await future(3_600)))
      await expectInvalid(verify(hs, await future(365 * 86_400)))
      await expectInvalid(verify(hs, await future(6)))
      await expect(verify(hs, await future(5))).resolves.toBeDefined()
      await expect(verify(hs, await future(0))).resolves.toBeDefined()
      // Signed by Baton itself with a future issue time.
      const token = await signAccessToken(
        hs,
        policy,
        input({ issuedAt: NOW + 3_600_000, expiresAt: NOW + 3_600_000 + TTL_MS }),
      )
      await expectInvalid(verify(hs, token))
      await expect(verify(hs, token, NOW + 3_600_000)).resolves.toBeDefined()
    })

    it('rejects non-numeric or non-finite time claims (exp: 1e400 never expires)', async () => {
      for (const change of [{ exp: null }, { iat: -1 / 0 }, { exp: 'Infinity' }, { nbf: true }]) {
        await expectInvalid(verify(hs, await craft(hs.signing.key, header(hs), claims(change))))
      }
      // JSON.parse('1e400') is Infinity: a never-expiring token unless rejected.
      for (const [name, literal] of [
        ['exp', '1e400'],
        ['nbf', '-1e400'],
        ['iat', '-1e400'],
      ] as const) {
        const json = JSON.stringify(claims({ [name]: 'X' })).replace('"X"', literal)
        expect(Number.isFinite(JSON.parse(json)[name])).toBe(false)
        await expectInvalid(verify(hs, await craft(hs.signing.key, header(hs), encoder.encode(json))))
      }
    })
  })

  // ---------------------------------------------------------------- malformed input

  describe('malformed input', () => {
    it.each([
      ['empty string', ''],
      ['one segment', 'abc'],
      ['two segments', 'a.b'],
      ['three junk segments', 'a.b.c'],
      ['four segments', 'a.b.c.d'],
      ['five segments (JWE shape)', 'a.b.c.d.e'],
      ['empty segments', '..'],
      ['empty header', '.b.c'],
      ['empty payload', 'a..c'],
      ['non-base64url chars', 'a+b/.c$d.e=f'],
      ['padding', 'YQ==.Yg==.Yw=='],
      ['whitespace', ' a.b.c'],
      ['trailing newline', 'a.b.c\n'],
      ['unicode', 'ä.b.c'],
      ['Bearer prefix', 'Bearer a.b.c'],
    ])('rejects %s', async (_name, token) => {
      await expectInvalid(verify(hs, token))
      await expectInvalid(verify(ed, token))
    })

    it('rejects re-encodings of a valid token that jose alone would accept (padding, base64 alphabet, newline)', async () => {
      // Find a token whose signature uses the url-safe characters, so the standard alphabet differs.
      let token = await signAccessToken(hs, policy, input())
      while (!/[-_]/.test(token.split('.')[2] as string)) token = await signAccessToken(hs, policy, input())
      await expect(verify(hs, token)).resolves.toBeDefined()
      const [h, p, s] = token.split('.') as [string, string, string]
      const standard = s.replace(/-/g, '+').replace(/_/g, '/')
      for (const variant of [
        `${token}=`,
        `${h}.${p}.${standard}`,
        `${token}\n`,
        `${token}\r\n`,
        `${token}.`,
        `${h}.${p}.${s}==`,
      ]) {
        await expectInvalid(verify(hs, variant))
      }
    })

    it('rejects non-string inputs', async () => {
      const token = await signAccessToken(hs, policy, input())
      for (const value of [
        undefined,
        null,
        42,
        0,
        true,
        {},
        [],
        [token],
        { token },
        new String(token),
        encoder.encode(token),
        Symbol('t'),
        () => token,
      ]) {
        await expectInvalid(verify(hs, value))
      }
    })

    it('rejects a structurally valid token whose parts are not JSON', async () => {
      const sig = b64u('sig')
      await expectInvalid(verify(hs, `${b64u('not json')}.${b64u(claims())}.${sig}`))
      await expectInvalid(verify(hs, `${b64u('[]')}.${b64u(claims())}.${sig}`))
      await expectInvalid(verify(hs, `${b64u('null')}.${b64u(claims())}.${sig}`))
    })

    it('rejects a real, validly signed 9 KB token, but accepts one at the size limit', async () => {
      const sized = (padding: number) => signAccessToken(hs, policy, input({ claims: { pad: 'p'.repeat(padding) } }))
      const big = await sized(9 * 1024)
      expect(big.length).toBeGreaterThan(MAX_ACCESS_TOKEN_LENGTH)
      await expectInvalid(verify(hs, big))

      // Largest token that still fits: find the padding by stepping down.
      let padding = Math.floor(((MAX_ACCESS_TOKEN_LENGTH - 200) * 3) / 4)
      let fits = await sized(padding)
      while (fits.length < MAX_ACCESS_TOKEN_LENGTH - 3) fits = await sized(++padding)
      while (fits.length > MAX_ACCESS_TOKEN_LENGTH) fits = await sized(--padding)
      expect(fits.length).toBeGreaterThan(MAX_ACCESS_TOKEN_LENGTH - 4)
      await expect(verify(hs, fits)).resolves.toMatchObject({ sub: 'user-1' })
      const over = await sized(padding + 4)
      expect(over.length).toBeGreaterThan(MAX_ACCESS_TOKEN_LENGTH)
      await expectInvalid(verify(hs, over))
    })

    it('rejects the JWS JSON serializations of a validly signed token', async () => {
      const payload = encoder.encode(JSON.stringify(claims()))
      const flattened = await new FlattenedSign(payload)
        .setProtectedHeader(header(hs) as { alg: string })
        .sign(hs.signing.key)
      const general = await new GeneralSign(payload)
        .addSignature(hs.signing.key)
        .setProtectedHeader(header(hs) as { alg: string })
        .done()
        .sign()
      await expectInvalid(verify(hs, JSON.stringify(flattened)))
      await expectInvalid(verify(hs, JSON.stringify(general)))
      await expectInvalid(verify(hs, flattened))
      // Control: the same pieces in compact form verify.
      await expect(
        verify(hs, `${flattened.protected}.${flattened.payload}.${flattened.signature}`),
      ).resolves.toBeDefined()
    })
  })

  // ---------------------------------------------------------------- header attacks

  describe('header attacks', () => {
    it('rejects a crit header naming an unknown extension, even when correctly signed', async () => {
      const token = await craft(
        hs.signing.key,
        header(hs, { crit: ['urn:example:ext'], 'urn:example:ext': true }),
        claims(),
      )
      await expectInvalid(verify(hs, token))
      const edToken = await craft(ed.signing.key, header(ed, { crit: ['exp'], exp: 1 }), claims())
      await expectInvalid(verify(ed, edToken))
    })

    it('rejects malformed crit headers', async () => {
      for (const crit of [[], 'urn:x', [42], ['alg']]) {
        const token = await hmacRaw(hs.signing.key, header(hs, { crit, 'urn:x': 1 }), claims())
        await expectInvalid(verify(hs, token))
      }
    })

    it('rejects b64: false (unencoded payload) with crit', async () => {
      // RFC 7797: the signing input is `header.` + the raw payload bytes; HMAC it by hand.
      const unencoded = async (payload: string) => {
        const signingInput = `${b64u(header(hs, { b64: false, crit: ['b64'] }))}.${payload}`
        const sig = await crypto.subtle.sign('HMAC', hs.signing.key, encoder.encode(signingInput))
        return `${signingInput}.${b64u(new Uint8Array(sig))}`
      }
      // Payload chosen to be base64url-safe so the shape check passes and only the b64 rule can reject it.
      const safe = await unencoded(b64u(claims()))
      expect(safe.split('.')[1]).toBe(b64u(claims()))
      const error = await expectInvalid(verify(hs, safe))
      if (!current.fastOnly) expect((error.cause as Error).message).toMatch(/unencoded payload/)
      await expectInvalid(verify(hs, await unencoded(JSON.stringify(claims()))))
    })

    it('ignores b64: false without crit (the payload stays base64url)', async () => {
      const token = await hmacRaw(hs.signing.key, header(hs, { b64: false }), claims())
      await expect(verify(hs, token)).resolves.toMatchObject({ sub: 'user-1' })
    })

    it('never consults jku, x5u or an embedded jwk: attacker-signed tokens are rejected', async () => {
      const fetchSpy = typeof globalThis.fetch === 'function' ? vi.spyOn(globalThis, 'fetch') : undefined
      for (const alg of ['EdDSA', 'ES256'] as const) {
        const attacker = await generateKeyPair(alg, { extractable: true })
        const attackerJwk = await generateSigningKey({ alg, kid: alg === 'EdDSA' ? 'ed-1' : 'es-1' })
        const attackerKey = (await importJWK(attackerJwk.privateJwk, alg)) as CryptoKey
        const keys = alg === 'EdDSA' ? ed : es
        const hostile = {
          jwk: attackerJwk.publicJwk,
          jku: 'https://attacker.test/jwks.json',
          x5u: 'https://attacker.test/cert.pem',
          x5c: ['MIIB'],
        }
        for (const extra of [{ jwk: attackerJwk.publicJwk }, { jku: hostile.jku }, { x5u: hostile.x5u }, hostile]) {
          await expectInvalid(verify(keys, await craft(attackerKey, header(keys, extra), claims())))
          const { kid: _kid, ...noKid } = header(keys, extra)
          await expectInvalid(verify(keys, await craft(attackerKey, noKid, claims())))
          await expectInvalid(
            verify(keys, await craft(attackerKey, header(keys, { ...extra, kid: 'attacker' }), claims())),
          )
        }
        await expectInvalid(
          verify(keys, await craft(attacker.privateKey, header(keys, { jwk: attackerJwk.publicJwk }), claims())),
        )
        // Control: our own key with the same hostile headers still verifies; they change nothing.
        await expect(
          verify(keys, await craft(keys.signing.key, header(keys, hostile), claims())),
        ).resolves.toBeDefined()
      }
      if (fetchSpy) expect(fetchSpy).not.toHaveBeenCalled()
    })

    it('rejects a token without a kid, even when signed by the right key', async () => {
      for (const keys of [hs, ed, es]) {
        const { kid: _kid, ...noKid } = header(keys)
        await expectInvalid(verify(keys, await craft(keys.signing.key, noKid, claims())))
      }
    })

    const injected: [string, unknown][] = [
      ['path traversal', '../../etc/passwd'],
      ['SQL', "' OR 1=1 --"],
      ['SQL 2', '"; DROP TABLE keys; --'],
      ['NUL byte', `${'hs'}\u0000`],
      ['URL', 'https://attacker.test/key'],
      ['very long', 'k'.repeat(4096)],
      ['__proto__', '__proto__'],
      ['constructor', 'constructor'],
      ['toString', 'toString'],
      ['empty', ''],
      ['number', 42],
      ['zero', 0],
      ['object', { $ne: null }],
      ['array', ['ed-1']],
      ['null', null],
      ['boolean', true],
    ]

    it.each(injected)('rejects kid injection (%s) with an AccessTokenInvalidError', async (_name, kid) => {
      for (const keys of [hs, ed, mixed]) {
        const token = await craft(keys.signing.key, header(keys, { kid }), claims())
        await expectInvalid(verify(keys, token))
        expect(keys.find(kid, keys.signing.alg)).toBeUndefined()
      }
    })

    it('rejects the real kid wrapped in an array or with a suffix', async () => {
      for (const kid of [
        [hs.signing.kid],
        `${hs.signing.kid} `,
        `${hs.signing.kid}\u0000`,
        hs.signing.kid.toUpperCase(),
      ]) {
        await expectInvalid(verify(hs, await craft(hs.signing.key, header(hs, { kid }), claims())))
      }
    })

    it('rejects headers that are not JSON objects or that duplicate-smuggle alg', async () => {
      const p = b64u(claims())
      const sign = async (h: string) => {
        const input = `${b64u(h)}.${p}`
        const sig = await crypto.subtle.sign('HMAC', hs.signing.key, encoder.encode(input))
        return `${input}.${b64u(new Uint8Array(sig))}`
      }
      await expectInvalid(verify(hs, await sign('[]')))
      await expectInvalid(verify(hs, await sign('"HS256"')))
      await expectInvalid(
        verify(hs, await sign(`{"alg":"none","kid":"${hs.signing.kid}","typ":"at+jwt","alg":"none"}`)),
      )
    })
  })
})

// ---------------------------------------------------------------- signing

describe('signing', () => {
  it.each(['iss', 'sub', 'aud', 'exp', 'nbf', 'iat', 'jti', 'sid'])(
    'refuses the reserved claim %s in app claims with a ConfigError',
    async (name) => {
      for (const keys of [hs, ed]) {
        // Synchronous on Node (a throw), a rejection elsewhere: both reach the caller's await.
        const error = await rejection((async () => signAccessToken(keys, policy, input({ claims: { [name]: 'x' } })))())
        expect(error).toBeInstanceOf(ConfigError)
        expect((error as ConfigError).code).toBe('ERR_CONFIG')
        expect((error as ConfigError).message).toContain(name)
      }
    },
  )

  it('refuses a reserved claim even when its value is undefined', async () => {
    const error = await rejection((async () => signAccessToken(hs, policy, input({ claims: { sub: undefined } })))())
    expect(error).toBeInstanceOf(ConfigError)
  })

  it('keeps app claims and cannot be made to override registered ones', async () => {
    const token = await signAccessToken(hs, policy, input({ claims: { role: 'admin', scope: 'read', n: 1 } }))
    const verified = await verify(hs, token)
    expect(verified).toMatchObject({ role: 'admin', scope: 'read', n: 1, sub: 'user-1', sid: 'session-1' })
  })
})
