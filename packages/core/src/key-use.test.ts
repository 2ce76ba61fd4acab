/**
 * RFC 7517 §4.2–4.3 in key-set loading: a JWK marked for encryption
 * (`use: "enc"`), or whose `key_ops` lack the operation the set needs, is
 * refused with a ConfigError naming the key, by `publicKeySet` and by
 * `asymmetricKeySet` alike. Before, `publicKeySet` checked the key only after
 * `publicJwk()` had set `use: "sig"` and dropped `key_ops`, so such a key
 * loaded and its tokens verified.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { signAccessToken, verifyAccessToken } from './access-token.js'
import { ConfigError } from './errors.js'
import { asymmetricKeySet, generateSigningKey, type KeyedJwk, publicKeySet } from './key-set.js'

type Pair = { privateJwk: KeyedJwk; publicJwk: KeyedJwk }
let ed: Pair
let es: Pair

beforeAll(async () => {
  ed = await generateSigningKey({ kid: 'ed-use' })
  es = await generateSigningKey({ alg: 'ES256', kid: 'es-use' })
})

async function refusal(run: () => Promise<unknown>): Promise<ConfigError> {
  const error = await run().then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(ConfigError)
  return error as ConfigError
}

/** Members that say a key is not (only) for verifying signatures. */
const notForVerifying: [string, Record<string, unknown>, RegExp][] = [
  ['use: "enc"', { use: 'enc' }, /`use` is "enc"/],
  ['an unknown use', { use: 'other' }, /`use` is "other"/],
  ['key_ops for encryption', { key_ops: ['encrypt', 'decrypt'] }, /`key_ops` is \["encrypt","decrypt"\]/],
  ['key_ops without "verify"', { key_ops: ['sign'] }, /must allow "verify"/],
  ['key_ops mixing signing and encryption', { key_ops: ['verify', 'encrypt'] }, /nothing but "sign" and "verify"/],
  ['key_ops listing an operation twice', { key_ops: ['verify', 'verify'] }, /distinct operations/],
  ['key_ops that is not a list', { key_ops: 'verify' }, /distinct operations/],
]

describe('publicKeySet', () => {
  it.each(notForVerifying)('refuses a key with %s, naming it', async (_, members, message) => {
    for (const [pair, kid] of [
      [ed, 'ed-use'],
      [es, 'es-use'],
    ] as const) {
      for (const jwk of [pair.publicJwk, pair.privateJwk]) {
        const error = await refusal(() => publicKeySet([{ ...jwk, ...members } as KeyedJwk]))
        expect(error.message).toMatch(new RegExp(`^publicKeys\\[0\\] \\(${kid}\\): `))
        expect(error.message).toMatch(message)
      }
    }
  })

  it('names the offending entry of a longer list', async () => {
    const error = await refusal(() => publicKeySet([ed.publicJwk, { ...es.publicJwk, use: 'enc' }]))
    expect(error.message).toMatch(/^publicKeys\[1\] \(es-use\): `use` is "enc"/)
  })

  it('no longer verifies tokens signed with a key marked for encryption', async () => {
    const signer = await asymmetricKeySet({ sign: es.privateJwk })
    const policy = { issuer: 'https://app.test', audience: 'https://app.test', clockTolerance: 5 }
    const now = Date.UTC(2030, 0, 1)
    const token = await signAccessToken(signer, policy, {
      subject: 's',
      sessionId: 'sid',
      issuedAt: now,
      expiresAt: now + 60_000,
    })
    await expect(verifyAccessToken(await publicKeySet([es.publicJwk]), policy, token, now)).resolves.toMatchObject({
      sub: 's',
    })
    await refusal(() => publicKeySet([{ ...es.publicJwk, use: 'enc' }]))
  })

  it.each([
    [{ use: 'sig' }],
    [{ key_ops: ['verify'] }],
    [{ key_ops: ['sign', 'verify'] }],
    [{ use: 'sig', key_ops: ['verify'] }],
  ])('accepts a key for signatures: %o', async (members) => {
    const keys = await publicKeySet([{ ...ed.publicJwk, ...members } as KeyedJwk])
    expect(keys.jwks.keys[0]).toMatchObject({ kid: 'ed-use', use: 'sig' })
    expect(keys.jwks.keys[0]).not.toHaveProperty('key_ops')
  })
})

describe('asymmetricKeySet', () => {
  it.each(notForVerifying)('refuses a verify key with %s, naming it', async (_, members, message) => {
    const error = await refusal(() =>
      asymmetricKeySet({ sign: ed.privateJwk, verify: [{ ...es.publicJwk, ...members } as KeyedJwk] }),
    )
    expect(error.message).toMatch(/^keys\.verify\[0\] \(es-use\): /)
    expect(error.message).toMatch(message)
  })

  it.each([
    ['use: "enc"', { use: 'enc' }, /`use` is "enc"/],
    ['key_ops without "sign"', { key_ops: ['verify'] }, /must allow "sign"/],
    ['key_ops for encryption', { key_ops: ['sign', 'encrypt'] }, /nothing but "sign" and "verify"/],
  ])('refuses a signing key with %s, naming it', async (_, members, message) => {
    const error = await refusal(() => asymmetricKeySet({ sign: { ...es.privateJwk, ...members } as KeyedJwk }))
    expect(error.message).toMatch(/^keys\.sign \(es-use\): /)
    expect(error.message).toMatch(message)
  })

  it.each([[['sign']], [['sign', 'verify']]])('accepts a signing key with key_ops %o', async (ops) => {
    const keys = await asymmetricKeySet({ sign: { ...es.privateJwk, key_ops: ops } })
    expect(keys.signing.kid).toBe('es-use')
    expect(keys.jwks.keys[0]).not.toHaveProperty('key_ops')
  })
})
