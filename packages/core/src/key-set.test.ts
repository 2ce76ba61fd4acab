import { createLocalJWKSet, decodeProtectedHeader, exportJWK, generateKeyPair, type JWK, jwtVerify } from 'jose'
import { beforeAll, describe, expect, it } from 'vitest'
import { type AccessTokenPolicy, signAccessToken, verifyAccessToken } from './access-token.js'
import { AccessTokenInvalidError, type BatonError, ConfigError } from './errors.js'
import {
  asymmetricKeySet,
  generateSigningKey,
  hmacKeySet,
  type KeyedJwk,
  type KeySet,
  publicJwk,
  publicKeySet,
  type SigningKeysOptions,
} from './key-set.js'
import { deriveSecret, MIN_SECRET_BYTES, normalizeSecrets } from './secret.js'

const policy: AccessTokenPolicy = { issuer: 'https://app.test', audience: 'https://app.test', clockTolerance: 5 }
const NOW = Date.UTC(2030, 0, 1, 12, 0, 0)
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k', 'oth']

const sign = (keys: KeySet, subject = 'user-1') =>
  signAccessToken(keys, policy, { subject, sessionId: 'session-1', issuedAt: NOW, expiresAt: NOW + 900_000 })
const verify = (keys: KeySet, token: string) => verifyAccessToken(keys, policy, token, NOW)

async function rejection(run: () => unknown): Promise<unknown> {
  try {
    await run()
  } catch (error) {
    return error
  }
  throw new Error('expected a rejection, but it succeeded')
}

async function expectConfigError(run: () => unknown, message?: RegExp): Promise<void> {
  const error = await rejection(run)
  expect(error).toBeInstanceOf(ConfigError)
  expect((error as BatonError).code).toBe('ERR_CONFIG')
  if (message) expect((error as Error).message).toMatch(message)
}

async function expectInvalid(promise: Promise<unknown>): Promise<void> {
  const error = await rejection(() => promise)
  expect(error).toBeInstanceOf(AccessTokenInvalidError)
  expect((error as BatonError).code).toBe('ERR_ACCESS_TOKEN_INVALID')
}

type Pair = { privateJwk: KeyedJwk; publicJwk: KeyedJwk }
let k1: Pair
let k2: Pair
let k3: Pair
let es1: Pair

beforeAll(async () => {
  k1 = await generateSigningKey({ kid: 'kid1' })
  k2 = await generateSigningKey({ kid: 'kid2' })
  k3 = await generateSigningKey({ kid: 'kid3' })
  es1 = await generateSigningKey({ alg: 'ES256', kid: 'es-kid1' })
})

// ---------------------------------------------------------------- rotation

describe('asymmetric key rotation', () => {
  it('an overlapping set verifies the old key; a set that retired it rejects its tokens', async () => {
    const a = await asymmetricKeySet({ sign: k1.privateJwk })
    const b = await asymmetricKeySet({ sign: k2.privateJwk, verify: [k1.publicJwk] })
    const c = await asymmetricKeySet({ sign: k2.privateJwk })

    const fromA = await sign(a)
    const fromB = await sign(b)
    expect(decodeProtectedHeader(fromA).kid).toBe('kid1')
    expect(decodeProtectedHeader(fromB).kid).toBe('kid2')
    expect(b.signing.kid).toBe('kid2')

    await expect(verify(a, fromA)).resolves.toMatchObject({ sub: 'user-1' })
    await expect(verify(b, fromA)).resolves.toMatchObject({ sub: 'user-1' }) // overlap
    await expect(verify(b, fromB)).resolves.toMatchObject({ sub: 'user-1' })
    await expect(verify(c, fromB)).resolves.toMatchObject({ sub: 'user-1' })
    await expectInvalid(verify(c, fromA)) // kid1 retired
    await expectInvalid(verify(a, fromB)) // the old config never heard of kid2
  })

  it('publishes the next key before it signs (pre-rotation)', async () => {
    const current = await asymmetricKeySet({ sign: k1.privateJwk, verify: [k2.publicJwk] })
    const next = await asymmetricKeySet({ sign: k2.privateJwk, verify: [k1.publicJwk] })
    expect(current.signing.kid).toBe('kid1')
    await expect(verify(current, await sign(next))).resolves.toBeDefined()
    await expect(verify(next, await sign(current))).resolves.toBeDefined()
  })

  it('verifies with any of several listed keys and rejects unlisted ones', async () => {
    const set = await asymmetricKeySet({ sign: k3.privateJwk, verify: [k1.publicJwk, k2.publicJwk] })
    for (const pair of [k1, k2, k3]) {
      await expect(verify(set, await sign(await asymmetricKeySet({ sign: pair.privateJwk })))).resolves.toBeDefined()
    }
    const stranger = await generateSigningKey({ kid: 'kid4' })
    await expectInvalid(verify(set, await sign(await asymmetricKeySet({ sign: stranger.privateJwk }))))
  })

  it('rotates across algorithms (EdDSA → ES256) and pins each kid to its algorithm', async () => {
    const old = await asymmetricKeySet({ sign: k1.privateJwk })
    const rotated = await asymmetricKeySet({ sign: es1.privateJwk, verify: [k1.publicJwk] })
    expect([...rotated.algorithms].sort()).toEqual(['ES256', 'EdDSA'])
    expect(old.algorithms).toEqual(['EdDSA'])
    await expect(verify(rotated, await sign(old))).resolves.toBeDefined()
    await expect(verify(rotated, await sign(rotated))).resolves.toBeDefined()
    await expectInvalid(verify(old, await sign(rotated)))
    expect(rotated.find('kid1', 'EdDSA')?.kid).toBe('kid1')
    expect(rotated.find('kid1', 'ES256')).toBeUndefined()
    expect(rotated.find('es-kid1', 'EdDSA')).toBeUndefined()
  })

  it('accepts a private JWK in `verify` but keeps only its public half', async () => {
    const set = await asymmetricKeySet({ sign: k2.privateJwk, verify: [k1.privateJwk] })
    await expect(verify(set, await sign(await asymmetricKeySet({ sign: k1.privateJwk })))).resolves.toBeDefined()
    for (const jwk of set.jwks.keys) for (const m of PRIVATE_MEMBERS) expect(jwk).not.toHaveProperty(m)
  })
})

describe('HS256 secret rotation', () => {
  const OLD = 'old-secret-'.padEnd(40, 'o')
  const NEW = 'new-secret-'.padEnd(40, 'n')

  it('[new, old] verifies tokens of [old]; [new] alone does not', async () => {
    const oldSecret = await deriveSecret(OLD)
    const newSecret = await deriveSecret(NEW)
    const before = hmacKeySet([oldSecret])
    const during = hmacKeySet([newSecret, oldSecret])
    const after = hmacKeySet([newSecret])

    expect(during.signing.kid).toBe(newSecret.kid)
    expect(during.algorithms).toEqual(['HS256'])

    const oldToken = await sign(before)
    const newToken = await sign(during)
    expect(decodeProtectedHeader(oldToken).kid).toBe(oldSecret.kid)
    expect(decodeProtectedHeader(newToken).kid).toBe(newSecret.kid)

    await expect(verify(during, oldToken)).resolves.toMatchObject({ sub: 'user-1' })
    await expect(verify(during, newToken)).resolves.toMatchObject({ sub: 'user-1' })
    await expect(verify(after, newToken)).resolves.toMatchObject({ sub: 'user-1' })
    await expectInvalid(verify(after, oldToken))
    await expectInvalid(verify(before, newToken))
  })

  it('derives the same keys from the same secret in a fresh process-like derivation', async () => {
    const token = await sign(hmacKeySet([await deriveSecret(OLD)]))
    await expect(verify(hmacKeySet([await deriveSecret(OLD)]), token)).resolves.toBeDefined()
  })

  it('refuses an empty secret list', async () => {
    await expectConfigError(() => hmacKeySet([]))
  })

  it('keeps the HMAC key non-extractable', async () => {
    const keys = hmacKeySet([await deriveSecret(OLD)])
    expect(keys.signing.key.extractable).toBe(false)
    expect(keys.signing.key.algorithm).toMatchObject({ name: 'HMAC' })
  })
})

// ---------------------------------------------------------------- JWKS

describe('JWKS', () => {
  it.each([
    ['EdDSA', ['alg', 'crv', 'kid', 'kty', 'use', 'x']],
    ['ES256', ['alg', 'crv', 'kid', 'kty', 'use', 'x', 'y']],
  ] as const)('%s: holds only public members with kid, alg and use=sig', async (alg, members) => {
    const pair = alg === 'EdDSA' ? k1 : es1
    expect(pair.privateJwk.d).toEqual(expect.any(String))
    const keys = await asymmetricKeySet({ sign: { ...pair.privateJwk, key_ops: ['sign'], ext: true } })
    expect(keys.jwks.keys).toHaveLength(1)
    const [jwk] = keys.jwks.keys as [JWK]
    expect(Object.keys(jwk).sort()).toEqual([...members])
    for (const m of PRIVATE_MEMBERS) expect(jwk).not.toHaveProperty(m)
    expect(jwk).toMatchObject({
      kid: pair.privateJwk.kid,
      alg,
      use: 'sig',
      kty: pair.privateJwk.kty,
      crv: pair.privateJwk.crv,
    })
    expect(jwk.x).toBe(pair.privateJwk.x)
    expect(JSON.stringify(keys.jwks)).not.toContain(pair.privateJwk.d)
  })

  it('lists every verification key of a rotation, publicly', async () => {
    const keys = await asymmetricKeySet({ sign: k2.privateJwk, verify: [k1.publicJwk, es1.publicJwk] })
    expect(keys.jwks.keys.map((k) => k.kid).sort()).toEqual(['es-kid1', 'kid1', 'kid2'])
    const text = JSON.stringify(keys.jwks)
    for (const pair of [k1, k2, es1]) expect(text).not.toContain(pair.privateJwk.d)
    for (const jwk of keys.jwks.keys) {
      expect(jwk.use).toBe('sig')
      for (const m of PRIVATE_MEMBERS) expect(jwk).not.toHaveProperty(m)
    }
  })

  it('is empty for HS256', async () => {
    const keys = hmacKeySet([await deriveSecret('s'.repeat(32)), await deriveSecret('t'.repeat(32))])
    expect(keys.jwks).toEqual({ keys: [] })
  })

  it.each(['EdDSA', 'ES256'] as const)(
    '%s: a JWKS consumer (jose createLocalJWKSet) verifies tokens of the set',
    async (alg) => {
      const pair = alg === 'EdDSA' ? k1 : es1
      const keys = await asymmetricKeySet({
        sign: pair.privateJwk,
        verify: [alg === 'EdDSA' ? es1.publicJwk : k1.publicJwk],
      })
      // A JSON round trip, as a remote resource server would receive it.
      const served = JSON.parse(JSON.stringify(keys.jwks)) as { keys: JWK[] }
      const jwks = createLocalJWKSet(served)
      const token = await sign(keys)
      const { payload, protectedHeader } = await jwtVerify(token, jwks, {
        algorithms: [alg],
        issuer: policy.issuer,
        audience: policy.audience,
        typ: 'at+jwt',
        currentDate: new Date(NOW),
      })
      expect(payload).toMatchObject({ sub: 'user-1', sid: 'session-1' })
      expect(protectedHeader.kid).toBe(pair.privateJwk.kid)
      // A token from a key outside the set is not verifiable by the consumer.
      const stranger = await asymmetricKeySet({ sign: (await generateSigningKey({ alg, kid: 'stranger' })).privateJwk })
      await expect(jwtVerify(await sign(stranger), jwks, { currentDate: new Date(NOW) })).rejects.toThrow()
    },
  )

  it('keeps the signing key non-extractable', async () => {
    const keys = await asymmetricKeySet({ sign: { ...k1.privateJwk, ext: true } })
    expect(keys.signing.key.extractable).toBe(false)
    expect(keys.signing.key.type).toBe('private')
  })
})

describe('publicJwk and generateSigningKey', () => {
  it('strips private members, key_ops and ext without mutating the input', () => {
    const input = {
      ...k1.privateJwk,
      key_ops: ['sign'],
      ext: true,
      p: 'p',
      q: 'q',
      dp: 'x',
      dq: 'y',
      qi: 'z',
      k: 'k',
      oth: [],
    } as KeyedJwk
    const copy = structuredClone(input)
    const pub = publicJwk(input)
    for (const m of [...PRIVATE_MEMBERS, 'key_ops', 'ext']) expect(pub).not.toHaveProperty(m)
    expect(pub).toMatchObject({ kid: 'kid1', alg: 'EdDSA', use: 'sig', x: k1.privateJwk.x })
    expect(input).toEqual(copy)
  })

  it.each(['EdDSA', 'ES256'] as const)('%s: generates a usable key pair with a valid default kid', async (alg) => {
    const pair = await generateSigningKey({ alg })
    expect(pair.privateJwk.kid).toMatch(/^[A-Za-z0-9._-]{1,64}$/)
    expect(pair.privateJwk).toMatchObject({
      alg,
      kty: alg === 'EdDSA' ? 'OKP' : 'EC',
      crv: alg === 'EdDSA' ? 'Ed25519' : 'P-256',
    })
    expect(pair.privateJwk.d).toEqual(expect.any(String))
    expect(pair.publicJwk).not.toHaveProperty('d')
    const keys = await asymmetricKeySet({ sign: pair.privateJwk })
    await expect(verify(keys, await sign(keys))).resolves.toBeDefined()
  })

  it('defaults to EdDSA', async () => {
    const pair = await generateSigningKey()
    expect(pair.privateJwk.alg).toBe('EdDSA')
    expect(pair.privateJwk.crv).toBe('Ed25519')
  })
})

// ---------------------------------------------------------------- config errors

describe('asymmetricKeySet config errors', () => {
  const withKid = (kid: unknown): SigningKeysOptions => ({ sign: { ...k1.privateJwk, kid } as KeyedJwk })

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['65 characters', 'k'.repeat(65)],
    ['a space', 'kid 1'],
    ['a slash', 'a/b'],
    ['path traversal', '../../etc/passwd'],
    ['a quote', "k'1"],
    ['unicode', 'kïd'],
    ['a newline', 'kid\n'],
    ['a number', 42],
    ['an object', { kid: 'kid1' }],
    ['null', null],
  ])('refuses a sign kid that is %s', async (_name, kid) => {
    await expectConfigError(() => asymmetricKeySet(withKid(kid)), /kid/)
  })

  it('refuses an invalid kid in `verify`', async () => {
    for (const kid of [undefined, '', 'a b', 'x'.repeat(65), 7]) {
      await expectConfigError(
        () => asymmetricKeySet({ sign: k2.privateJwk, verify: [{ ...k1.publicJwk, kid } as KeyedJwk] }),
        /kid/,
      )
    }
  })

  it('accepts kids at the edges of the pattern', async () => {
    for (const kid of ['a', 'k'.repeat(64), 'A-Z_a-z.0-9', '2030-01-01.v2']) {
      const keys = await asymmetricKeySet(withKid(kid))
      expect(keys.signing.kid).toBe(kid)
    }
  })

  it('refuses duplicate kids', async () => {
    const other = await generateSigningKey({ kid: 'kid2' })
    await expectConfigError(() => asymmetricKeySet({ sign: k2.privateJwk, verify: [other.publicJwk] }), /distinct/)
    await expectConfigError(
      () => asymmetricKeySet({ sign: k3.privateJwk, verify: [k1.publicJwk, k1.publicJwk] }),
      /distinct/,
    )
    await expectConfigError(
      () => asymmetricKeySet({ sign: k3.privateJwk, verify: [k1.publicJwk, { ...es1.publicJwk, kid: 'kid1' }] }),
      /distinct/,
    )
  })

  it('refuses alg/curve mismatches', async () => {
    const p384 = {
      ...(await exportJWK((await generateKeyPair('ES384', { extractable: true })).privateKey)),
      kid: 'p384',
    }
    const bad: [string, unknown][] = [
      ['EdDSA on a P-256 key', { ...es1.privateJwk, alg: 'EdDSA' }],
      ['ES256 on an Ed25519 key', { ...k1.privateJwk, alg: 'ES256' }],
      ['ES256 on P-384', { ...p384, alg: 'ES256' }],
      ['ES384', { ...p384, alg: 'ES384' }],
      ['EdDSA on Ed448', { ...k1.privateJwk, crv: 'Ed448' }],
      ['EdDSA on X25519', { ...k1.privateJwk, crv: 'X25519' }],
      ['EdDSA with kty EC', { ...k1.privateJwk, kty: 'EC' }],
      ['missing alg', { ...k1.privateJwk, alg: undefined }],
      ['lowercase alg', { ...k1.privateJwk, alg: 'eddsa' }],
      ['Ed25519 alg name', { ...k1.privateJwk, alg: 'Ed25519' }],
      ['RS256', { kty: 'RSA', n: 'AQAB', e: 'AQAB', d: 'AQAB', kid: 'rsa', alg: 'RS256' }],
      ['HS256 oct key', { kty: 'oct', k: 'c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA', kid: 'oct', alg: 'HS256' }],
      ['none', { ...k1.privateJwk, alg: 'none' }],
    ]
    for (const [name, jwk] of bad) {
      await expectConfigError(
        () => asymmetricKeySet({ sign: jwk as KeyedJwk }),
        /EdDSA with Ed25519, or ES256 with P-256/,
      ).catch((e) => {
        throw new Error(`sign: ${name}: ${e}`)
      })
      const pub: Record<string, unknown> = { ...(jwk as Record<string, unknown>), kid: 'v-1' }
      delete pub.d
      await expectConfigError(
        () => asymmetricKeySet({ sign: k2.privateJwk, verify: [pub as KeyedJwk] }),
        /^keys\.verify\[0\] \(v-1\): use alg EdDSA with Ed25519, or ES256 with P-256/,
      ).catch((e) => {
        throw new Error(`verify: ${name}: ${e}`)
      })
    }
  })

  it('refuses a public-only JWK as `sign`', async () => {
    await expectConfigError(() => asymmetricKeySet({ sign: k1.publicJwk }), /private/)
    await expectConfigError(() => asymmetricKeySet({ sign: es1.publicJwk }), /private/)
    await expectConfigError(
      () => asymmetricKeySet({ sign: { ...k1.privateJwk, d: 42 } as unknown as KeyedJwk }),
      /private/,
    )
  })

  it('names the offending entry: keys.sign or keys.verify[i]', async () => {
    await expectConfigError(() => asymmetricKeySet({ sign: { ...k1.privateJwk, kid: 'bad kid' } }), /^keys\.sign\b/)
    const badFirst = { ...k2.publicJwk, kid: 'bad kid' }
    await expectConfigError(() => asymmetricKeySet({ sign: k1.privateJwk, verify: [badFirst] }), /^keys\.verify\[0\]/)
    await expectConfigError(
      () => asymmetricKeySet({ sign: k1.privateJwk, verify: [k2.publicJwk, { ...es1.publicJwk, alg: 'EdDSA' }] }),
      /^keys\.verify\[1\]/,
    )
  })

  it('wraps invalid key material in a ConfigError (not a raw WebCrypto error)', async () => {
    const cases: [SigningKeysOptions, RegExp][] = [
      [{ sign: { ...k1.privateJwk, x: 'AAAA' } }, /^keys\.sign \(kid1\)/],
      [{ sign: { ...k1.privateJwk, d: 'AAAA' } }, /^keys\.sign \(kid1\)/],
      [{ sign: { ...es1.privateJwk, y: es1.privateJwk.x as string } }, /^keys\.sign \(es-kid1\)/],
      [{ sign: k1.privateJwk, verify: [{ ...k2.publicJwk, x: '!!!' }] }, /^keys\.verify\[0\] \(kid2\)/],
      [
        { sign: k1.privateJwk, verify: [k2.publicJwk, { ...es1.publicJwk, x: 'AAAA' }] },
        /^keys\.verify\[1\] \(es-kid1\)/,
      ],
    ]
    for (const [options, message] of cases) {
      const error = await rejection(() => asymmetricKeySet(options))
      expect(error).toBeInstanceOf(ConfigError)
      expect((error as ConfigError).message).toMatch(message)
      expect((error as ConfigError).cause).toBeDefined()
    }
  })

  it('refuses a missing or non-object `sign` and non-object `verify` entries', async () => {
    for (const value of [undefined, null, 'kid1', 42]) {
      await expectConfigError(() => asymmetricKeySet({ sign: value as unknown as KeyedJwk }))
      await expectConfigError(() => asymmetricKeySet({ sign: k1.privateJwk, verify: [value as unknown as KeyedJwk] }))
    }
  })
})

// ---------------------------------------------------------------- secrets

describe('normalizeSecrets', () => {
  const good = 'g'.repeat(MIN_SECRET_BYTES)

  it('accepts one secret or a list, in order', () => {
    expect(MIN_SECRET_BYTES).toBe(32)
    expect(normalizeSecrets(good)).toEqual([good])
    const other = 'h'.repeat(40)
    expect(normalizeSecrets([other, good])).toEqual([other, good])
  })

  it('refuses missing or empty configuration', async () => {
    await expectConfigError(() => normalizeSecrets(undefined), /required/)
    await expectConfigError(() => normalizeSecrets([]), /required/)
  })

  it('refuses secrets shorter than 32 bytes', async () => {
    for (const value of ['', 'short', 'g'.repeat(31)]) {
      await expectConfigError(() => normalizeSecrets(value), /32 bytes/)
      await expectConfigError(() => normalizeSecrets([good, value]), /32 bytes/)
    }
  })

  it('counts UTF-8 bytes, not characters', async () => {
    expect(normalizeSecrets('€'.repeat(11))).toHaveLength(1) // 33 bytes, 11 characters
    await expectConfigError(() => normalizeSecrets('é'.repeat(15))) // 30 bytes
  })

  it('refuses non-string entries', async () => {
    for (const value of [null, undefined, 42, ['x'.repeat(32)], { secret: 'x'.repeat(32) }]) {
      await expectConfigError(() => normalizeSecrets([good, value] as unknown as string[]))
    }
  })

  it('refuses the same secret listed twice', async () => {
    await expectConfigError(() => normalizeSecrets([good, good]), /twice/)
    await expectConfigError(() => normalizeSecrets([good, 'h'.repeat(32), good]), /twice/)
  })
})

describe('deriveSecret', () => {
  const SECRET = 'correct-horse-battery-staple-0123456789'

  it('gives different secrets different kids, and the same secret the same kid', async () => {
    const a = await deriveSecret(SECRET)
    const a2 = await deriveSecret(SECRET)
    const b = await deriveSecret(`${SECRET}!`)
    const c = await deriveSecret('x'.repeat(32))
    expect(a.kid).toBe(a2.kid)
    expect(new Set([a.kid, b.kid, c.kid]).size).toBe(3)
  })

  it('makes a kid that is a valid key id and does not reveal the secret', async () => {
    const { kid } = await deriveSecret(SECRET)
    expect(kid).toMatch(/^hs-[A-Za-z0-9_-]{16}$/)
    expect(kid).toMatch(/^[A-Za-z0-9._-]{1,64}$/)
    expect(kid).not.toContain(SECRET)
    for (let i = 0; i + 6 <= SECRET.length; i++) expect(kid).not.toContain(SECRET.slice(i, i + 6))
    const b64 = btoa(SECRET).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
    for (let i = 0; i + 6 <= b64.length; i++) expect(kid).not.toContain(b64.slice(i, i + 6))
  })

  it('derives independent, non-extractable keys per purpose', async () => {
    const derived = await deriveSecret(SECRET)
    expect(derived.accessTokenKey.extractable).toBe(false)
    expect(derived.successorKey.extractable).toBe(false)
    const data = new TextEncoder().encode('parent')
    const access = new Uint8Array(await crypto.subtle.sign('HMAC', derived.accessTokenKey, data))
    const successor = new Uint8Array(await crypto.subtle.sign('HMAC', derived.successorKey, data))
    expect(access).not.toEqual(successor)
    const raw = await crypto.subtle.importKey(
      'raw',
      new TextEncoder().encode(SECRET),
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['sign'],
    )
    expect(new Uint8Array(await crypto.subtle.sign('HMAC', raw, data))).not.toEqual(access)
    const x = await derived.deriveBits('x')
    expect(x).toHaveLength(32)
    expect(await derived.deriveBits('x')).toEqual(x)
    expect(await derived.deriveBits('y')).not.toEqual(x)
  })
})

describe('publicKeySet (verify-only, for the Edge)', () => {
  it('verifies tokens of the signing set from its public JWKs, and cannot be fed a private key', async () => {
    const { privateJwk, publicJwk: pub } = await generateSigningKey({ alg: 'EdDSA', kid: 'edge-1' })
    const signer = await asymmetricKeySet({ sign: privateJwk })

    const now = Date.UTC(2026, 0, 1)
    const token = await signAccessToken(signer, policy, {
      subject: 's',
      sessionId: 'sid',
      issuedAt: now,
      expiresAt: now + 60_000,
    })
    const verifier = await publicKeySet([pub])
    await expect(verifyAccessToken(verifier, policy, token, now)).resolves.toMatchObject({ sub: 's' })
    expect(verifier.jwks.keys[0]).not.toHaveProperty('d')
    const stripped = await publicKeySet([privateJwk])
    expect(stripped.jwks.keys[0]).not.toHaveProperty('d')
    await expect(publicKeySet([])).rejects.toMatchObject({ code: 'ERR_CONFIG' })
  })
})
