// The node:crypto refresh-path operations agree with the WebCrypto + jose reference byte for
// byte (SHA-256, HMAC, HS256 and EdDSA signatures are deterministic), ES256 verifies with jose,
// and a key of the wrong kind or usage is refused as jose refuses it.
import { compactVerify } from 'jose/jws/compact/verify'
import { describe, expect, it } from 'vitest'
import * as portable from './crypto-ops.js'
import * as node from './crypto-ops.node.js'
import { asymmetricKeySet, generateSigningKey, hmacKeySet } from './key-set.js'
import { deriveSecret } from './secret.js'

const inputs = ['', 'brt_abc', 'ünïcødé ✓ 𝄞', 'x'.repeat(10_000), '\u0000\uffff']
const header = (alg: string) => ({ alg, kid: 'k1', typ: 'at+jwt' })
const payload = { role: 'admin', names: ['é', '😀'], sid: 's1', sub: 'u1', iat: 1, exp: 2 }

describe('#crypto-ops on node:crypto', () => {
  it('SHA-256 equals WebCrypto', async () => {
    for (const value of inputs) expect(await node.sha256Base64url(value)).toBe(await portable.sha256Base64url(value))
  })

  it('HMAC-SHA256 under the derived secret equals WebCrypto', async () => {
    const { successorKey } = await deriveSecret('s'.repeat(32))
    for (const value of inputs)
      expect(await node.hmacSha256Base64url(successorKey, value)).toBe(
        await portable.hmacSha256Base64url(successorKey, value),
      )
  })

  it('HS256 and EdDSA tokens equal jose’s, byte for byte', async () => {
    const hs = hmacKeySet([await deriveSecret('x'.repeat(32))])
    const ed = await asymmetricKeySet({ sign: (await generateSigningKey({ kid: 'k1' })).privateJwk })
    for (const keys of [hs, ed]) {
      const h = header(keys.signing.alg)
      expect(await node.signCompactJws(h, payload, keys.signing.key)).toBe(
        await portable.signCompactJws(h, payload, keys.signing.key),
      )
    }
  })

  it('ES256 tokens verify with jose under the public key', async () => {
    const generated = await generateSigningKey({ alg: 'ES256', kid: 'k1' })
    const keys = await asymmetricKeySet({ sign: generated.privateJwk })
    const token = await node.signCompactJws(header('ES256'), payload, keys.signing.key)
    const verifier = keys.find('k1', 'ES256')
    if (!verifier) throw new Error('no verification key')
    const { payload: bytes } = await compactVerify(token, verifier.key)
    expect(JSON.parse(new TextDecoder().decode(bytes))).toEqual(payload)
    expect(token.split('.')[2]).toMatch(/^[A-Za-z0-9_-]{86}$/) // 64 bytes: r‖s, not DER
  })

  it('random ids: the asked-for length of base64url, never repeated, across pool refills', () => {
    const seen = new Set<string>()
    for (let i = 0; i < 2_000; i++) {
      const id = node.randomBase64url(i % 2 === 0 ? 16 : 32)
      expect(id).toMatch(i % 2 === 0 ? /^[A-Za-z0-9_-]{22}$/ : /^[A-Za-z0-9_-]{43}$/)
      seen.add(id)
    }
    expect(seen.size).toBe(2_000)
    expect(portable.randomBase64url(16)).toMatch(/^[A-Za-z0-9_-]{22}$/)
    expect(() => node.randomBase64url(0)).toThrow(RangeError)
    expect(() => node.randomBase64url(4096)).toThrow(RangeError)
  })

  it('refuses an algorithm the key is not for, and a key that may not sign', async () => {
    const hs = hmacKeySet([await deriveSecret('x'.repeat(32))])
    const ed = await asymmetricKeySet({ sign: (await generateSigningKey({ kid: 'k1' })).privateJwk })
    // The Node versions answer synchronously, so they throw rather than reject.
    expect(() => node.signCompactJws(header('EdDSA'), payload, hs.signing.key)).toThrow(
      /Cannot sign EdDSA with a HMAC key/,
    )
    expect(() => node.signCompactJws(header('HS256'), payload, ed.signing.key)).toThrow(TypeError)
    expect(() => node.signCompactJws(header('ES256'), payload, ed.signing.key)).toThrow(TypeError)
    const verifyOnly = ed.find('k1', 'EdDSA')?.key as CryptoKey
    expect(() => node.signCompactJws(header('EdDSA'), payload, verifyOnly)).toThrow(/may not be used to sign/)
    await expect(portable.signCompactJws(header('EdDSA'), payload, verifyOnly)).rejects.toThrow()
  })
})
