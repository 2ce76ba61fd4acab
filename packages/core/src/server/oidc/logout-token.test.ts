import { createLocalJWKSet, exportJWK, generateKeyPair, type JWTPayload, SignJWT } from 'jose'
import { beforeAll, describe, expect, it } from 'vitest'
import { BadRequestError } from '../../index.js'
import { BACKCHANNEL_LOGOUT_EVENT, verifyLogoutToken } from './logout-token.js'

const ISSUER = 'https://op.example'
const CLIENT = 'baton-app'
const now = Date.UTC(2026, 11, 4, 12)
let sign: (claims: JWTPayload, alg?: string) => Promise<string>
let keys: ReturnType<typeof createLocalJWKSet>

beforeAll(async () => {
  const { privateKey, publicKey } = await generateKeyPair('ES256')
  keys = createLocalJWKSet({ keys: [{ ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256' }] })
  sign = (claims) =>
    new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid: 'k1', typ: 'logout+jwt' }).sign(privateKey)
})

const valid = (): JWTPayload => ({
  iss: ISSUER,
  aud: CLIENT,
  iat: Math.floor(now / 1000),
  jti: 'jti-1',
  sub: 'user-1',
  sid: 'sid-1',
  events: { [BACKCHANNEL_LOGOUT_EVENT]: {} },
})
const verify = (token: string) => verifyLogoutToken(token, { issuer: ISSUER, clientId: CLIENT, keys, now })

describe('verifyLogoutToken (OpenID Connect Back-Channel Logout 1.0 §2.6)', () => {
  it('accepts a valid token and says whose sessions end', async () => {
    expect(await verify(await sign(valid()))).toEqual({ sub: 'user-1', sid: 'sid-1', jti: 'jti-1', iat: now / 1000 })
    const { sid: _, ...subOnly } = valid()
    expect((await verify(await sign(subOnly))).sid).toBeNull()
  })

  it.each([
    ['another issuer', { iss: 'https://evil.example' }],
    ['another audience', { aud: 'someone-else' }],
    ['a nonce', { nonce: 'n' }],
    ['no events claim', { events: undefined }],
    ['another event', { events: { 'http://schemas.openid.net/event/other': {} } }],
    ['an old iat', { iat: Math.floor(now / 1000) - 3600 }],
    ['an expired exp', { exp: Math.floor(now / 1000) - 120 }],
    ['no jti', { jti: undefined }],
    ['neither sub nor sid', { sub: undefined, sid: undefined }],
  ])('refuses %s with a 400', async (_, change) => {
    const claims = { ...valid(), ...change } as Record<string, unknown>
    for (const key of Object.keys(claims)) if (claims[key] === undefined) delete claims[key]
    const error = await verify(await sign(claims)).catch((e) => e)
    expect(error).toBeInstanceOf(BadRequestError)
    expect(error.status).toBe(400)
  })

  it('refuses an unsigned (alg none) or HMAC-signed token', async () => {
    const body = Buffer.from(JSON.stringify(valid())).toString('base64url')
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${body}.`
    await expect(verify(none)).rejects.toBeInstanceOf(BadRequestError)
    const hs = await new SignJWT(valid()).setProtectedHeader({ alg: 'HS256', kid: 'k1' }).sign(new Uint8Array(32))
    await expect(verify(hs)).rejects.toBeInstanceOf(BadRequestError)
  })
})
