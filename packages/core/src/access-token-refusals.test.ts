/**
 * What a forger learns from a refusal: nothing. A malformed token, a token
 * naming an unknown `kid`, an algorithm the set does not accept, a bad
 * signature and a part spelt in non-canonical base64url all get the same
 * `ERR_ACCESS_TOKEN_INVALID` and the same message, from every verifier, so a
 * 401 never tells which `kid` values exist. Non-canonical base64url (the class
 * of Wycheproof JWS case 375) is refused by both verifiers.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { type AccessTokenPolicy, signAccessToken, verifyAccessTokenWith } from './access-token.js'
import { isCanonicalCompactJws } from './internal/compact-jws.js'
import { type JwtVerifier, verifyJwt as verifyWithJose } from './jwt-verifier.js'
import { asymmetricKeySet, generateSigningKey, hmacKeySet, type KeySet } from './key-set.js'
import { deriveSecret } from './secret.js'

declare const EdgeRuntime: string | undefined
const node = typeof EdgeRuntime === 'string' ? undefined : await import('./jwt-verifier.node.js')
const verifiers: [string, JwtVerifier][] = [
  ['jose', verifyWithJose],
  ...(node ? ([['node:crypto fast path + jose', node.verifyJwt]] as [string, JwtVerifier][]) : []),
]

const policy: AccessTokenPolicy = { issuer: 'https://app.test', audience: 'https://app.test', clockTolerance: 5 }
const NOW = Date.UTC(2030, 0, 1)
const REFUSED = '{"error":{"code":"ERR_ACCESS_TOKEN_INVALID","message":"The access token is invalid."}}'

let hs: KeySet
let other: KeySet
let ed: KeySet
const sign = (keys: KeySet) =>
  signAccessToken(keys, policy, { subject: 's', sessionId: 'sid', issuedAt: NOW, expiresAt: NOW + 60_000 })

beforeAll(async () => {
  hs = hmacKeySet([await deriveSecret('x'.repeat(32))])
  other = hmacKeySet([await deriveSecret('y'.repeat(32))])
  ed = await asymmetricKeySet({ sign: (await generateSigningKey({ kid: 'ed-1' })).privateJwk })
})

/** A twin spelling of the same bytes: the last character's unused low bits set. */
function nonCanonical(part: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
  const last = alphabet.indexOf(part.at(-1) as string)
  return part.slice(0, -1) + alphabet[last + 1]
}

describe.each(verifiers)('%s', (_, verifier) => {
  const verdict = (keys: KeySet, token: unknown): Promise<string> =>
    verifyAccessTokenWith(verifier, keys, policy, token, NOW).then(
      () => 'accepted',
      (error: { toJSON(): unknown }) => JSON.stringify(error.toJSON()),
    )

  it('gives one message for a malformed token, an unknown kid, a wrong algorithm and a bad signature', async () => {
    const token = await sign(hs)
    const [header, payload, signature] = token.split('.') as [string, string, string]
    const flipped = signature.slice(0, 5) + (signature[5] === 'A' ? 'B' : 'A') + signature.slice(6)
    const cases: [string, KeySet, unknown][] = [
      ['not a JWS', hs, 'abc'],
      ['four parts', hs, `${token}.x`],
      ['not a string', hs, 42],
      ['unknown kid', other, token],
      ['algorithm not accepted', ed, token],
      ['bad signature', hs, `${header}.${payload}.${flipped}`],
    ]
    expect(await verdict(hs, token)).toBe('accepted')
    for (const [name, keys, value] of cases) expect(await verdict(keys, value), name).toBe(REFUSED)
  })

  it.each([0, 1, 2])('refuses part %i spelt in non-canonical base64url (same bytes, other string)', async (index) => {
    for (const keys of [hs, ed]) {
      const parts = (await sign(keys)).split('.')
      const part = parts[index] as string
      if (part.length % 4 === 0) continue // every spelling of a full quantum is canonical
      parts[index] = nonCanonical(part)
      expect(await verdict(keys, parts.join('.'))).toBe(REFUSED)
    }
  })
})

describe('the spelling check runs once, before any verifier', () => {
  /** A token whose header or payload is spelt non-canonically and then signed as spelt (Wycheproof JWS case 375). */
  async function signedAsSpelt(keys: KeySet, index: 0 | 1): Promise<string> {
    const parts = (await sign(keys)).split('.') as [string, string, string]
    const part = parts[index]
    if (part.length % 4 === 0) throw new Error('a full quantum has no other spelling; pick another part')
    parts[index] = nonCanonical(part)
    const input = `${parts[0]}.${parts[1]}`
    const mac = await crypto.subtle.sign('HMAC', keys.signing.key, new TextEncoder().encode(input))
    return `${input}.${Buffer.from(mac).toString('base64url')}`
  }

  const seen: string[] = []
  const recording: JwtVerifier = (keys, p, token, now) => {
    seen.push(token)
    return verifiers[verifiers.length - 1]?.[1](keys, p, token, now) ?? Promise.reject(new Error('no verifier'))
  }
  const fastAlone: [string, JwtVerifier][] = node
    ? [['node:crypto fast path alone', node.nodeJwtVerifier(() => Promise.reject(new Error('declined')))]]
    : []

  it.each([...verifiers, ...fastAlone])(
    '%s: refuses a non-canonical header or payload signed as spelt',
    async (_, verifier) => {
      for (const index of [0, 1] as const) {
        const token = await signedAsSpelt(hs, index).catch(() => undefined)
        if (token === undefined) continue
        // The signature is good for these very characters: only the spelling check stands between it and acceptance.
        const result = await verifyAccessTokenWith(verifier, hs, policy, token, NOW).then(
          () => 'accepted',
          (error: { toJSON(): unknown }) => JSON.stringify(error.toJSON()),
        )
        expect(result, `part ${index}`).toBe(REFUSED)
      }
    },
  )

  it('hands a verifier only tokens that passed it, and refuses the rest without calling one', async () => {
    seen.length = 0
    const token = await sign(hs)
    const [header, payload, signature] = token.split('.') as [string, string, string]
    await expect(verifyAccessTokenWith(recording, hs, policy, token, NOW)).resolves.toMatchObject({ sid: 'sid' })
    for (const bad of [`${header}.${payload}.${nonCanonical(signature)}`, `${header}.${payload}`, 'a.b.c', `${token}=`])
      await expect(verifyAccessTokenWith(recording, hs, policy, bad, NOW)).rejects.toMatchObject({
        code: 'ERR_ACCESS_TOKEN_INVALID',
      })
    expect(seen).toEqual([token])
    expect(seen.every((t) => isCanonicalCompactJws(t))).toBe(true)
  })
})

describe('isCanonicalCompactJws', () => {
  it('accepts canonical unpadded base64url parts and refuses anything else', () => {
    for (const ok of ['AA.AAA.AAAA', 'YQ.YWI.YWJj', 'ww.ww.ww', '_w.-_8.____'])
      expect(isCanonicalCompactJws(ok), ok).toBe(true)
    for (const bad of [
      'a.b.c',
      'AB.AA.AA',
      'AA.AB.AA',
      'AA.AA.AAB',
      'A.AA.AA',
      'AA=.AA.AA',
      'AA.AA',
      'AA.AA.AA.AA',
      'AA..AA',
      'A?.AA.AA',
      '',
    ])
      expect(isCanonicalCompactJws(bad), bad).toBe(false)
    expect(isCanonicalCompactJws(undefined)).toBe(false)
  })
})
