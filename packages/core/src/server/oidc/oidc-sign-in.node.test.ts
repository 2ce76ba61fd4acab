import { describe, expect, it } from 'vitest'
import { signInAtProvider, startOidcProvider } from '../../../../../test-kit/src/oidc-provider.js'
import {
  advance,
  authRequest,
  CALLBACK,
  callback,
  cookieHeader,
  jwtKey,
  ORIGIN,
  op,
  PROVIDER,
  server,
  signedIn,
  start,
  useOidcProvider,
} from './oidc.fixture.js'

useOidcProvider()

describe('OpenID Connect sign-in against oidc-provider', () => {
  it('runs the code flow with PKCE, state and nonce and opens a Baton session with the provider user', async () => {
    const auth = server()
    const { location, cookie } = await start(auth)
    const url = new URL(location)
    expect(url.origin).toBe(op.issuer)
    expect(url.searchParams.get('code_challenge_method')).toBe('S256')
    expect(url.searchParams.get('redirect_uri')).toBe(CALLBACK)
    for (const p of ['state', 'nonce', 'code_challenge']) expect(url.searchParams.get(p)?.length).toBeGreaterThan(20)
    expect(cookie).toMatch(/^baton\.oidc\.[A-Za-z0-9_-]{16}=/)
    const back = await signInAtProvider(location, { login: 'grace' })
    expect(back.searchParams.get('iss')).toBe(op.issuer)
    const res = await auth.handle(callback(back, cookie))
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe('/dashboard')
    const set = res.headers.getSetCookie()
    expect(set.some((c) => c.startsWith('baton.oidc.') && c.includes('Max-Age=0'))).toBe(true)
    const session = await auth.session({ request: authRequest('/session', { cookie: cookieHeader(res) }) })
    expect(session?.user).toMatchObject({ id: 'grace', email: 'grace@example.com', name: 'Grace', provider: 'oidc' })
    // The provider's access token works at the provider, and never reached the browser.
    const token = await auth.upstream.getAccessToken({ sessionId: session?.sessionId as string })
    expect(set.join('\n')).not.toContain(token)
    const info = await fetch(`${op.issuer}/me`, { headers: { authorization: `Bearer ${token}` } })
    expect(await info.json()).toMatchObject({ sub: 'grace' })
  })

  it('keeps two sign-ins of two tabs apart, finished in the reverse order', async () => {
    const auth = server()
    const a = await start(auth, '/a')
    const b = await start(auth, '/b')
    const backB = await signInAtProvider(b.location, { login: 'bob' })
    const backA = await signInAtProvider(a.location, { login: 'amy' })
    const both = `${a.cookie}; ${b.cookie}`
    const resB = await auth.handle(callback(backB, both))
    const resA = await auth.handle(callback(backA, both))
    expect([resA.status, resA.headers.get('location')]).toEqual([303, '/a'])
    expect([resB.status, resB.headers.get('location')]).toEqual([303, '/b'])
  })

  it('keeps at most three sign-in attempts open: the oldest cookie makes room (no ever-growing Cookie header)', async () => {
    const auth = server()
    const jar = new Map<string, string>()
    for (let i = 0; i < 6; i++) {
      const res = await auth.handle(
        authRequest('/signin/oidc', { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') }),
      )
      for (const line of res.headers.getSetCookie()) {
        const [pair] = line.split(';') as [string]
        const [name, value] = pair.split('=') as [string, string]
        if (line.includes('Max-Age=0')) jar.delete(name)
        else jar.set(name, value)
      }
      expect(jar.size).toBe(Math.min(i + 1, 3))
      advance(1000)
    }
  })

  it('refuses an open redirect in returnTo (falls back to /)', async () => {
    const auth = server()
    for (const evil of ['//evil.example', 'https://evil.example', '/\\evil.example']) {
      const { location, cookie } = await start(auth, evil)
      const res = await auth.handle(callback(await signInAtProvider(location), cookie))
      expect(res.headers.get('location')).toBe('/')
    }
  })
})

describe('OpenID Connect with several providers, and with a provider that does not rotate', () => {
  it('keeps each session with the provider it signed in with', async () => {
    const auth = server({
      providers: { oidc: PROVIDER, second: { ...PROVIDER, clientId: 'other-client', label: 'Second' } },
    })
    const res = await auth.handle(authRequest('/signin/second?returnTo=/two'))
    const url = new URL(res.headers.get('location') as string)
    expect(url.searchParams.get('client_id')).toBe('other-client')
    expect(url.searchParams.get('redirect_uri')).toBe(`${ORIGIN}/api/auth/callback/second`)
    const back = await signInAtProvider(url.href, { login: 'sam' })
    // The attempt belongs to "second": the "oidc" callback does not know it.
    const wrong = await auth.handle(
      authRequest(`/callback/oidc${back.search}`, {
        cookie: cookieHeader(res),
        headers: { accept: 'application/json' },
      }),
    )
    expect((await wrong.json()).error.reason).toBe('transaction_missing')
    const done = await auth.handle(
      authRequest(`/callback/second${back.search}`, {
        cookie: cookieHeader(res),
        headers: { accept: 'application/json' },
      }),
    )
    expect(done.headers.get('location')).toBe('/two')
    const session = await auth.session({ request: authRequest('/session', { cookie: cookieHeader(done) }) })
    expect(session?.user).toMatchObject({ id: 'sam', provider: 'second' })
    advance(120_000)
    const before = op.counts.refreshToken
    await auth.upstream.getAccessToken({ sessionId: session?.sessionId as string })
    expect(op.counts.refreshToken - before).toBe(1)
  })

  it('a provider that answers a refresh without a refresh token: the old one is kept and works again', async () => {
    const steady = await startOidcProvider({ redirectUris: [CALLBACK], rotateRefreshTokens: false, accessTokenTtl: 60 })
    try {
      const auth = server({ providers: { oidc: { ...PROVIDER, issuer: steady.issuer } } })
      const { ref } = await signedIn(auth)
      const tokens = new Set<string>()
      for (let i = 0; i < 3; i++) {
        advance(120_000)
        tokens.add(await auth.upstream.getAccessToken(ref))
      }
      expect(tokens.size).toBe(3)
      expect(steady.counts.refreshToken).toBe(3)
      expect(steady.events.filter((e) => e.type === 'grant.revoked' || e.type === 'refresh_token.reused')).toEqual([])
    } finally {
      await steady.close()
    }
  })
})

describe('OpenID Connect client authentication', () => {
  it.each([
    ['client_secret_post', () => ({ clientId: 'post-client', clientAuth: 'client_secret_post' as const })],
    ['none (a public client)', () => ({ clientId: 'public-client', clientSecret: undefined })],
    [
      'private_key_jwt',
      () => ({
        clientId: 'jwt-client',
        clientSecret: undefined,
        privateKey: { key: jwtKey.privateKey, kid: 'jwt-client-1' },
      }),
    ],
  ])('signs in and refreshes with %s', async (_, overrides) => {
    const auth = server({ providers: { oidc: { ...PROVIDER, ...overrides() } } })
    const { ref } = await signedIn(auth)
    const before = op.counts.refreshToken
    advance(120_000)
    await expect(auth.upstream.getAccessToken(ref)).resolves.toMatch(/./)
    expect(op.counts.refreshToken - before).toBe(1)
  })

  it('refuses at startup a client_secret_basic without a secret, or private_key_jwt without a key', () => {
    expect(() =>
      server({ providers: { oidc: { ...PROVIDER, clientSecret: undefined, clientAuth: 'client_secret_basic' } } }),
    ).toThrow(/clientSecret/)
    expect(() => server({ providers: { oidc: { ...PROVIDER, clientAuth: 'private_key_jwt' } } })).toThrow(/privateKey/)
    expect(() => server({ providers: { oidc: { ...PROVIDER, issuer: 'http://op.example.com' } } })).toThrow(/https/)
    expect(() => server({ providers: { 'bad name!': PROVIDER } })).toThrow(/provider name/)
  })
})
