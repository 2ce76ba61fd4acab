import { describe, expect, it } from 'vitest'
import { signInAtProvider } from '../../../../../test-kit/src/oidc-provider.js'
import { MemorySessionStore, UpstreamSessionEndedError, UpstreamUnavailableError } from '../../index.js'
import { createAuthServer } from '../create-auth-server.js'
import {
  advance,
  authRequest,
  callback,
  cookieHeader,
  op,
  PROVIDER,
  SECRET,
  server,
  signedIn,
  start,
  useOidcProvider,
} from './oidc.fixture.js'

useOidcProvider()

describe('OpenID Connect refresh: one refresh_token grant per expiry', () => {
  it('50 parallel callers after expiry → exactly one grant, and the rotated token is never spent twice', async () => {
    const auth = server()
    const { cookie } = await signedIn(auth)
    const session = await auth.session({ request: authRequest('/session', { cookie }) })
    const ref = { sessionId: session?.sessionId as string }
    const first = await auth.upstream.getAccessToken(ref)
    const before = op.counts.refreshToken
    advance(120_000) // past the provider's 60 s access token
    const tokens = await Promise.all(Array.from({ length: 50 }, () => auth.upstream.getAccessToken(ref)))
    expect(op.counts.refreshToken - before).toBe(1)
    expect(new Set(tokens).size).toBe(1)
    expect(tokens[0]).not.toBe(first)
    expect(op.events.filter((e) => e.type === 'refresh_token.reused')).toEqual([])
    // And again at the next expiry: the rotated refresh token works (the grant was not revoked).
    advance(120_000)
    await Promise.all(Array.from({ length: 10 }, () => auth.upstream.getAccessToken(ref)))
    expect(op.counts.refreshToken - before).toBe(2)
    expect(op.events.filter((e) => e.type === 'grant.revoked')).toEqual([])
  })

  it('a provider outage (503) keeps the session; the next call refreshes', async () => {
    const auth = server()
    const { cookie, ref } = await signedIn(auth)
    advance(120_000)
    op.failNext({ endpoint: 'token', status: 503 })
    await expect(auth.upstream.getAccessToken(ref)).rejects.toBeInstanceOf(UpstreamUnavailableError)
    expect(await auth.session({ request: authRequest('/session', { cookie }), strict: true })).not.toBeNull()
    await expect(auth.upstream.getAccessToken(ref)).resolves.toMatch(/./)
  })

  it('a refused refresh (4xx, e.g. invalid_grant) ends the Baton session with ERR_UPSTREAM_SESSION_ENDED', async () => {
    const auth = server()
    const { cookie, ref } = await signedIn(auth)
    advance(120_000)
    op.failNext({ endpoint: 'token', status: 400 })
    await expect(auth.upstream.getAccessToken(ref)).rejects.toBeInstanceOf(UpstreamSessionEndedError)
    const res = await auth.handle(authRequest('/refresh', { method: 'POST', cookie }))
    expect(res.status).toBe(401)
    expect((await res.json()).error.code).toBe('ERR_SESSION_REVOKED')
  })
})

describe('OpenID Connect: a grant revoked at the provider', () => {
  it('a real invalid_grant (the refresh token revoked at the provider) ends the Baton session', async () => {
    let refreshToken = ''
    const auth = server({
      fetch: async (input, init) => {
        const res = await fetch(input, init)
        if (String(input).endsWith('/token') && res.ok) refreshToken = (await res.clone().json()).refresh_token
        return res
      },
    })
    const { cookie, ref } = await signedIn(auth)
    // The user's grant is withdrawn at the provider (an admin, another app, a sign-out there).
    const revoked = await fetch(`${op.issuer}/token/revocation`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`baton-test:${PROVIDER.clientSecret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ token: refreshToken, token_type_hint: 'refresh_token' }),
    })
    expect(revoked.status).toBe(200)
    advance(120_000)
    const errorsBefore = op.events.filter((e) => e.type === 'grant.error').length
    await expect(auth.upstream.getAccessToken(ref)).rejects.toBeInstanceOf(UpstreamSessionEndedError)
    const errors = op.events.filter((e) => e.type === 'grant.error').slice(errorsBefore)
    expect(errors.map((e) => e.error)).toEqual(['invalid_grant'])
    const res = await auth.handle(authRequest('/refresh', { method: 'POST', cookie }))
    expect((await res.json()).error.code).toBe('ERR_SESSION_REVOKED')
  })
})

describe('OpenID Connect with DPoP (RFC 9449)', () => {
  it("binds the provider tokens to Baton's key: a stolen access token alone is refused, upstream.fetch works and refreshes", async () => {
    const auth = server({ providers: { oidc: { ...PROVIDER, dpop: true } } })
    const { location, cookie: attempt } = await start(auth)
    expect(new URL(location).searchParams.get('dpop_jkt')).toMatch(/^[A-Za-z0-9_-]{43}$/)
    const res = await auth.handle(callback(await signInAtProvider(location, { login: 'erin' }), attempt))
    expect(res.status).toBe(303)
    const cookie = cookieHeader(res)
    const ref = {
      sessionId: (await auth.session({ request: authRequest('/session', { cookie }) }))?.sessionId as string,
    }
    const token = await auth.upstream.getAccessToken(ref)
    const stolen = await fetch(`${op.issuer}/me`, { headers: { authorization: `Bearer ${token}` } })
    expect([400, 401]).toContain(stolen.status)
    const asDpopWithoutProof = await fetch(`${op.issuer}/me`, { headers: { authorization: `DPoP ${token}` } })
    expect([400, 401]).toContain(asDpopWithoutProof.status)
    const me = await auth.upstream.fetch(ref, '/me')
    expect(me.status).toBe(200)
    expect(await me.json()).toMatchObject({ sub: 'erin' })
    const before = op.counts.refreshToken
    advance(120_000)
    const renewed = await auth.upstream.fetch(ref, '/me')
    expect(renewed.status).toBe(200)
    expect(op.counts.refreshToken - before).toBe(1)
    // The refresh went through with a DPoP proof too: a new token.
    expect(await auth.upstream.getAccessToken(ref)).not.toBe(token)
  })

  it('derives the same key in every instance (same secret) and another one for another secret', async () => {
    const { derivedDpopKey } = await import('./dpop-key.js')
    const engineKey = (secret: string) => (label: string) =>
      createAuthServer({ store: new MemorySessionStore(), secret, authenticate: async () => null }).engine.deriveKey(
        label,
      )
    const thumb = async (pair: CryptoKeyPair) => (await crypto.subtle.exportKey('jwk', pair.publicKey)).x
    const [a, b, c] = await Promise.all([
      derivedDpopKey(engineKey(SECRET)),
      derivedDpopKey(engineKey(SECRET)),
      derivedDpopKey(engineKey(`${SECRET}-other`)),
    ])
    expect(await thumb(a)).toBe(await thumb(b))
    expect(await thumb(a)).not.toBe(await thumb(c))
    expect(a.privateKey.extractable).toBe(false)
  })
})
