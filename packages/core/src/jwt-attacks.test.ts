/**
 * JWT attacks that access-token.test.ts does not already catalogue, run
 * through the public `verifyAccessToken` (whatever verifier it uses on this
 * runtime): signature-encoding tricks against ECDSA and Ed25519 (CVE-2022-21449
 * "psychic signatures", DER instead of JOSE encoding, non-canonical S),
 * foreign algorithm families with real keys, nested and encrypted tokens, and
 * key retirement across engines. Every one must be ERR_ACCESS_TOKEN_INVALID.
 */
import { CompactEncrypt, CompactSign, generateKeyPair, type JWTPayload, SignJWT } from 'jose'
import { beforeAll, describe, expect, it } from 'vitest'
import { type AccessTokenPolicy, signAccessToken, verifyAccessToken } from './access-token.js'
import { AccessTokenInvalidError, type BatonError } from './errors.js'
import { asymmetricKeySet, generateSigningKey, hmacKeySet, type KeySet } from './key-set.js'
import { MemorySessionStore } from './memory-store.js'
import { deriveSecret } from './secret.js'
import { createSessionEngine } from './session-engine.js'
import { manualClock } from './testing/fixtures.js'

const policy: AccessTokenPolicy = { issuer: 'https://app.test', audience: 'https://app.test', clockTolerance: 5 }
const NOW = Date.UTC(2030, 0, 1, 12, 0, 0)
const input = { subject: 'user-1', sessionId: 'session-1', issuedAt: NOW, expiresAt: NOW + 900_000 }
const encoder = new TextEncoder()

const b64u = (bytes: Uint8Array): string =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '')
const fromB64u = (text: string): Uint8Array =>
  Uint8Array.from(atob(text.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0))

async function expectInvalid(token: string, keys: KeySet): Promise<void> {
  const error = await verifyAccessToken(keys, policy, token, NOW).then(
    () => new Error('accepted'),
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(AccessTokenInvalidError)
  expect((error as BatonError).code).toBe('ERR_ACCESS_TOKEN_INVALID')
}

/** `token` with its signature replaced. */
const withSignature = (token: string, signature: Uint8Array) =>
  `${token.split('.').slice(0, 2).join('.')}.${b64u(signature)}`

/** P-256 group order n, big-endian. */
const P256_N = fromB64u('_____wAAAAD__________7zm-q2nF56E87nKwvxjJVE')
/** Ed25519 group order L, little-endian as it appears in S. */
const ED25519_L = fromB64u('7dP1XBpjEljWnPei3vneFAAAAAAAAAAAAAAAAAAAABA')

/** DER `SEQUENCE { INTEGER r, INTEGER s }` of a raw r‖s signature. */
function toDer(raw: Uint8Array): Uint8Array {
  const int = (bytes: Uint8Array) => {
    let i = 0
    while (i < bytes.length - 1 && bytes[i] === 0) i++
    const trimmed = bytes.slice(i)
    const body = (trimmed[0] as number) & 0x80 ? [0, ...trimmed] : [...trimmed]
    return [0x02, body.length, ...body]
  }
  const seq = [...int(raw.slice(0, 32)), ...int(raw.slice(32))]
  return Uint8Array.from([0x30, seq.length, ...seq])
}

/** Little-endian addition, for S + L. */
function addLe(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length)
  let carry = 0
  for (let i = 0; i < a.length; i++) {
    const sum = (a[i] as number) + (b[i] as number) + carry
    out[i] = sum & 0xff
    carry = sum >> 8
  }
  return out
}

let hs: KeySet
let ed: KeySet
let es: KeySet

beforeAll(async () => {
  hs = hmacKeySet([await deriveSecret('x'.repeat(32))])
  ed = await asymmetricKeySet({ sign: (await generateSigningKey({ kid: 'ed-1' })).privateJwk })
  es = await asymmetricKeySet({ sign: (await generateSigningKey({ alg: 'ES256', kid: 'es-1' })).privateJwk })
})

describe('signature encodings', () => {
  it('control: untouched tokens verify under each key set', async () => {
    for (const keys of [hs, ed, es]) {
      await expect(
        verifyAccessToken(keys, policy, await signAccessToken(keys, policy, input), NOW),
      ).resolves.toBeDefined()
    }
  })

  it('ES256: rejects psychic signatures (r = s = 0, r = s = n) — CVE-2022-21449', async () => {
    const token = await signAccessToken(es, policy, input)
    await expectInvalid(withSignature(token, new Uint8Array(64)), es)
    await expectInvalid(withSignature(token, Uint8Array.from([...P256_N, ...P256_N])), es)
    await expectInvalid(withSignature(token, Uint8Array.from([...new Uint8Array(32), ...P256_N])), es)
  })

  it('ES256: rejects a valid signature in DER form, truncated or padded', async () => {
    const token = await signAccessToken(es, policy, input)
    const raw = fromB64u(token.split('.')[2] as string)
    expect(raw.length).toBe(64)
    await expectInvalid(withSignature(token, toDer(raw)), es)
    await expectInvalid(withSignature(token, raw.slice(0, 63)), es)
    await expectInvalid(withSignature(token, Uint8Array.from([...raw, 0])), es)
    await expectInvalid(withSignature(token, Uint8Array.from([0, ...raw])), es)
  })

  it('EdDSA: rejects a non-canonical S (S + L), all-zero and truncated signatures', async () => {
    const token = await signAccessToken(ed, policy, input)
    const raw = fromB64u(token.split('.')[2] as string)
    const malleated = Uint8Array.from([...raw.slice(0, 32), ...addLe(raw.slice(32), ED25519_L)])
    await expectInvalid(withSignature(token, malleated), ed)
    await expectInvalid(withSignature(token, new Uint8Array(64)), ed)
    await expectInvalid(withSignature(token, raw.slice(0, 63)), ed)
  })

  it('HS256: rejects a truncated, doubled or empty MAC', async () => {
    const token = await signAccessToken(hs, policy, input)
    const mac = fromB64u(token.split('.')[2] as string)
    for (const bad of [mac.slice(0, 16), mac.slice(0, 31), Uint8Array.from([...mac, ...mac]), new Uint8Array(0)]) {
      await expectInvalid(withSignature(token, bad), hs)
    }
  })
})

describe('foreign algorithm families signed with real keys, under our kid', () => {
  const claims = (): JWTPayload => ({
    sub: 'user-1',
    sid: 'session-1',
    jti: 'j',
    iss: policy.issuer,
    aud: policy.audience,
  })

  it.each(['RS256', 'PS256', 'ES384', 'ES512', 'RS512'])('%s tokens are refused by every key set', async (alg) => {
    const { privateKey } = await generateKeyPair(alg)
    for (const keys of [hs, ed, es]) {
      const token = await new SignJWT(claims())
        .setProtectedHeader({ alg, kid: keys.signing.kid, typ: 'at+jwt' })
        .setIssuedAt(NOW / 1000)
        .setExpirationTime(NOW / 1000 + 900)
        .sign(privateKey)
      await expectInvalid(token, keys)
    }
  })
})

describe('nested and encrypted tokens', () => {
  it('refuses a valid token wrapped as the payload of another JWS signed by the same key (cty: JWT)', async () => {
    const inner = await signAccessToken(hs, policy, input)
    const outer = await new CompactSign(encoder.encode(inner))
      .setProtectedHeader({ alg: 'HS256', kid: hs.signing.kid, typ: 'at+jwt', cty: 'JWT' })
      .sign(hs.signing.key)
    await expectInvalid(outer, hs)
  })

  it("refuses an attacker's JWS wrapping a valid token, whatever it claims", async () => {
    const inner = await signAccessToken(es, policy, input)
    const { privateKey } = await generateKeyPair('ES256')
    const outer = await new CompactSign(encoder.encode(JSON.stringify({ token: inner, sub: 'admin' })))
      .setProtectedHeader({ alg: 'ES256', kid: es.signing.kid, typ: 'at+jwt', cty: 'JWT' })
      .sign(privateKey)
    await expectInvalid(outer, es)
  })

  it('refuses a real JWE (dir, A256GCM) carrying valid claims, even encrypted under the HS key bytes', async () => {
    const payload = encoder.encode(JSON.stringify({ sub: 'user-1', sid: 'session-1', iss: policy.issuer }))
    const jwe = await new CompactEncrypt(payload)
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM', kid: hs.signing.kid, typ: 'at+jwt' })
      .encrypt(crypto.getRandomValues(new Uint8Array(32)))
    expect(jwe.split('.')).toHaveLength(5)
    await expectInvalid(jwe, hs)
  })
})

describe('retired keys across instances', () => {
  it('EdDSA: pre-publish, switch, retire — an instance that dropped the old key refuses its tokens', async () => {
    const old = await generateSigningKey({ kid: 'k-2026-10' })
    const next = await generateSigningKey({ kid: 'k-2026-11' })
    const engine = (keys: { sign: typeof old.privateJwk; verify?: (typeof old.publicJwk)[] }) =>
      createSessionEngine({
        store: new MemorySessionStore(),
        secret: 's'.repeat(32),
        issuer: 'i',
        keys,
        clock: manualClock(NOW),
      })
    const before = engine({ sign: old.privateJwk, verify: [next.publicJwk] })
    const during = engine({ sign: next.privateJwk, verify: [old.publicJwk] })
    const after = engine({ sign: next.privateJwk })

    const oldToken = (await before.signIn({ subject: 'u' })).accessToken
    const newToken = (await during.signIn({ subject: 'u' })).accessToken
    await expect(during.verifyAccessToken(oldToken)).resolves.toMatchObject({ subject: 'u' })
    await expect(before.verifyAccessToken(newToken)).resolves.toMatchObject({ subject: 'u' })
    await expect(after.verifyAccessToken(newToken)).resolves.toMatchObject({ subject: 'u' })
    await expect(after.verifyAccessToken(oldToken)).rejects.toMatchObject({ code: 'ERR_ACCESS_TOKEN_INVALID' })
  })

  it('HS256: a secret removed from the list stops verifying its tokens at once', async () => {
    const [a, b] = ['a'.repeat(32), 'b'.repeat(32)]
    const engine = (secret: string[]) =>
      createSessionEngine({ store: new MemorySessionStore(), secret, issuer: 'i', clock: manualClock(NOW) })
    const oldToken = (await engine([a]).signIn({ subject: 'u' })).accessToken
    await expect(engine([b, a]).verifyAccessToken(oldToken)).resolves.toMatchObject({ subject: 'u' })
    await expect(engine([b]).verifyAccessToken(oldToken)).rejects.toMatchObject({ code: 'ERR_ACCESS_TOKEN_INVALID' })
  })
})
