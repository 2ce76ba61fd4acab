import { exportJWK, generateKeyPair } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
// The provider fixture lives in the private test-kit workspace (which depends on @baton/core, so
// @baton/core cannot depend on it): imported by path, it resolves oidc-provider from test-kit.
import {
  type OidcProviderFixture,
  signInAtProvider,
  startOidcProvider,
} from '../../../../../test-kit/src/oidc-provider.js'
import {
  MemorySessionStore,
  OidcSignInError,
  UpstreamSessionEndedError,
  UpstreamUnavailableError,
} from '../../index.js'
import type { AuthServer } from '../auth-server.js'
import { createAuthServer } from '../create-auth-server.js'
import type { BatonOptions } from '../options.js'
import { authRequest, cookieHeader, ORIGIN, SECRET } from '../server.fixture.js'

const CALLBACK = `${ORIGIN}/api/auth/callback/oidc`
let op: OidcProviderFixture
let jwtKey: { privateKey: CryptoKey; publicKey: CryptoKey }
let clock = Date.now()

const SECRET_OF_CLIENT = 'baton-test-secret-0123456789abcdef0123456789'
const PROVIDER = {
  issuer: '',
  clientId: 'baton-test',
  clientSecret: SECRET_OF_CLIENT,
  authorizationParams: { prompt: 'consent' },
}

beforeAll(async () => {
  const client = (client_id: string) => ({
    client_id,
    client_secret: SECRET_OF_CLIENT,
    token_endpoint_auth_method: 'client_secret_basic' as const,
    redirect_uris: [CALLBACK],
    post_logout_redirect_uris: [`${ORIGIN}/login`],
  })
  jwtKey = await generateKeyPair('ES256', { extractable: true })
  op = await startOidcProvider({
    clients: [
      client('baton-test'),
      client('other-client'),
      { ...client('post-client'), token_endpoint_auth_method: 'client_secret_post' },
      { ...client('public-client'), client_secret: undefined, token_endpoint_auth_method: 'none' },
      {
        ...client('jwt-client'),
        client_secret: undefined,
        token_endpoint_auth_method: 'private_key_jwt',
        jwks: { keys: [{ ...(await exportJWK(jwtKey.publicKey)), kid: 'jwt-client-1', alg: 'ES256', use: 'sig' }] },
      },
    ],
    accessTokenTtl: 60,
  })
  PROVIDER.issuer = op.issuer
})
afterAll(() => op?.close())

function server(extra: Partial<NonNullable<BatonOptions['oidc']>> = {}): AuthServer {
  return createAuthServer({
    store: new MemorySessionStore(),
    secret: SECRET,
    cookies: { secure: false },
    clock: { now: () => clock },
    oidc: {
      providers: { oidc: PROVIDER },
      ...extra,
    },
  })
}

/** GET /signin/oidc: the provider URL and the attempt's cookie. */
async function start(auth: AuthServer, returnTo = '/dashboard') {
  const res = await auth.handle(authRequest(`/signin/oidc?returnTo=${encodeURIComponent(returnTo)}`))
  expect(res.status).toBe(302)
  return { location: res.headers.get('location') as string, cookie: cookieHeader(res) }
}

/** The callback as the browser makes it after the provider's redirect. */
function callback(url: URL | string, cookie: string, headers: Record<string, string> = { accept: 'application/json' }) {
  const u = new URL(url)
  return authRequest(`/callback/oidc${u.search}`, { cookie, headers })
}

async function signedIn(auth: AuthServer) {
  const { location, cookie } = await start(auth)
  const back = await signInAtProvider(location)
  const res = await auth.handle(callback(back, cookie))
  expect(res.status, await res.clone().text()).toBe(303)
  return { res, cookie: cookieHeader(res) }
}

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

  it('refuses an open redirect in returnTo (falls back to /)', async () => {
    const auth = server()
    for (const evil of ['//evil.example', 'https://evil.example', '/\\evil.example']) {
      const { location, cookie } = await start(auth, evil)
      const res = await auth.handle(callback(await signInAtProvider(location), cookie))
      expect(res.headers.get('location')).toBe('/')
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
    const { cookie } = await signedIn(auth)
    const ref = {
      sessionId: (await auth.session({ request: authRequest('/session', { cookie }) }))?.sessionId as string,
    }
    const before = op.counts.refreshToken
    clock += 120_000
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

describe('OpenID Connect refresh: one refresh_token grant per expiry', () => {
  it('50 parallel callers after expiry → exactly one grant, and the rotated token is never spent twice', async () => {
    const auth = server()
    const { cookie } = await signedIn(auth)
    const session = await auth.session({ request: authRequest('/session', { cookie }) })
    const ref = { sessionId: session?.sessionId as string }
    const first = await auth.upstream.getAccessToken(ref)
    const before = op.counts.refreshToken
    clock += 120_000 // past the provider's 60 s access token
    const tokens = await Promise.all(Array.from({ length: 50 }, () => auth.upstream.getAccessToken(ref)))
    expect(op.counts.refreshToken - before).toBe(1)
    expect(new Set(tokens).size).toBe(1)
    expect(tokens[0]).not.toBe(first)
    expect(op.events.filter((e) => e.type === 'refresh_token.reused')).toEqual([])
    // And again at the next expiry: the rotated refresh token works (the grant was not revoked).
    clock += 120_000
    await Promise.all(Array.from({ length: 10 }, () => auth.upstream.getAccessToken(ref)))
    expect(op.counts.refreshToken - before).toBe(2)
    expect(op.events.filter((e) => e.type === 'grant.revoked')).toEqual([])
  })

  it('a provider outage (503) keeps the session; the next call refreshes', async () => {
    const auth = server()
    const { cookie } = await signedIn(auth)
    const ref = {
      sessionId: (await auth.session({ request: authRequest('/session', { cookie }) }))?.sessionId as string,
    }
    clock += 120_000
    op.failNext({ endpoint: 'token', status: 503 })
    await expect(auth.upstream.getAccessToken(ref)).rejects.toBeInstanceOf(UpstreamUnavailableError)
    expect(await auth.session({ request: authRequest('/session', { cookie }), strict: true })).not.toBeNull()
    await expect(auth.upstream.getAccessToken(ref)).resolves.toMatch(/./)
  })

  it('a refused refresh (4xx, e.g. invalid_grant) ends the Baton session with ERR_UPSTREAM_SESSION_ENDED', async () => {
    const auth = server()
    const { cookie } = await signedIn(auth)
    const ref = {
      sessionId: (await auth.session({ request: authRequest('/session', { cookie }) }))?.sessionId as string,
    }
    clock += 120_000
    op.failNext({ endpoint: 'token', status: 400 })
    await expect(auth.upstream.getAccessToken(ref)).rejects.toBeInstanceOf(UpstreamSessionEndedError)
    const res = await auth.handle(authRequest('/refresh', { method: 'POST', cookie }))
    expect(res.status).toBe(401)
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
    clock += 120_000
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

describe('OpenID Connect sign-out', () => {
  it('POST /logout ends the session and revokes the provider refresh token (RFC 7009)', async () => {
    const auth = server()
    const { cookie } = await signedIn(auth)
    const before = op.counts.revocation
    const res = await auth.handle(authRequest('/logout', { method: 'POST', cookie }))
    expect(res.status).toBe(200)
    expect(op.counts.revocation - before).toBe(1)
  })

  it('POST /signout/oidc answers 303 to end_session_endpoint with id_token_hint and the post-logout page', async () => {
    const auth = server()
    const { cookie } = await signedIn(auth)
    const res = await auth.handle(authRequest('/signout/oidc', { method: 'POST', cookie }))
    expect(res.status).toBe(303)
    const to = new URL(res.headers.get('location') as string)
    expect(to.href.startsWith(`${op.issuer}/`)).toBe(true)
    expect(to.searchParams.get('post_logout_redirect_uri')).toBe(`${ORIGIN}/login`)
    expect(to.searchParams.get('id_token_hint')?.split('.')).toHaveLength(3)
    expect(res.headers.getSetCookie().filter((c) => c.includes('Max-Age=0')).length).toBeGreaterThanOrEqual(2)
    expect(await auth.session({ request: authRequest('/session', { cookie }), strict: true })).toBeNull()
  })

  it('refuses a cross-site POST /signout/oidc', async () => {
    const auth = server()
    const res = await auth.handle(
      authRequest('/signout/oidc', { method: 'POST', headers: { origin: 'https://evil.example' } }),
    )
    expect(res.status).toBe(403)
  })
})

describe('OpenID Connect callbacks that must not sign anyone in', () => {
  async function refused(res: Response, reason: string) {
    expect(res.status).toBe(400)
    const body = await res.json()
    expect(body.error).toMatchObject({ code: OidcSignInError.code, reason })
    expect(res.headers.getSetCookie().some((c) => c.startsWith('baton.at=') && !c.includes('Max-Age=0'))).toBe(false)
    return body.error
  }

  it('a tampered state → transaction_missing', async () => {
    const auth = server()
    const { location, cookie } = await start(auth)
    const back = await signInAtProvider(location)
    back.searchParams.set('state', `${back.searchParams.get('state')?.slice(0, 16)}tampered`)
    await refused(await auth.handle(callback(back, cookie)), 'transaction_missing')
  })

  it('no transaction cookie → transaction_missing; a replayed callback → code_rejected', async () => {
    const auth = server()
    const { location, cookie } = await start(auth)
    const back = await signInAtProvider(location)
    await refused(await auth.handle(callback(back, '')), 'transaction_missing')
    expect((await auth.handle(callback(back, cookie))).status).toBe(303)
    const replay = await refused(await auth.handle(callback(back, cookie)), 'code_rejected')
    expect(replay.providerError).toBe('invalid_grant')
  })

  it('a wrong nonce → invalid_response', async () => {
    const auth = server()
    const { location, cookie } = await start(auth)
    const url = new URL(location)
    url.searchParams.set('nonce', 'another-nonce-0123456789abcdefghijklmnop')
    await refused(await auth.handle(callback(await signInAtProvider(url.href), cookie)), 'invalid_response')
  })

  it('a wrong iss (RFC 9207) → invalid_response', async () => {
    const auth = server()
    const { location, cookie } = await start(auth)
    const back = await signInAtProvider(location)
    back.searchParams.set('iss', 'https://evil.example')
    await refused(await auth.handle(callback(back, cookie)), 'invalid_response')
  })

  it('an ID token for another audience → invalid_response', async () => {
    // A genuine ID token of the same provider, issued to another client, swapped into the token answer.
    let foreignIdToken = ''
    const other = server({
      providers: { oidc: { ...PROVIDER, clientId: 'other-client' } },
      fetch: async (input, init) => {
        const res = await fetch(input, init)
        if (String(input).endsWith('/token')) foreignIdToken = (await res.clone().json()).id_token
        return res
      },
    })
    await signedIn(other)
    expect(foreignIdToken.split('.')).toHaveLength(3)
    let swapped = false
    const auth = server({
      fetch: async (input, init) => {
        const res = await fetch(input, init)
        if (!String(input).endsWith('/token')) return res
        swapped = true
        return Response.json({ ...(await res.json()), id_token: foreignIdToken }, { status: res.status })
      },
    })
    const { location, cookie } = await start(auth)
    await refused(await auth.handle(callback(await signInAtProvider(location), cookie)), 'invalid_response')
    expect(swapped).toBe(true)
  })

  it('an ID token whose signature does not verify against the JWKS → invalid_response', async () => {
    const auth = server({
      fetch: async (input, init) => {
        const res = await fetch(input, init)
        if (!String(input).endsWith('/token')) return res
        const body = await res.json()
        const [h, p, sig] = String(body.id_token).split('.') as [string, string, string]
        const flipped = `${sig.slice(0, 10)}${sig[10] === 'A' ? 'B' : 'A'}${sig.slice(11)}`
        return Response.json({ ...body, id_token: `${h}.${p}.${flipped}` }, { status: res.status })
      },
    })
    const { location, cookie } = await start(auth)
    await refused(await auth.handle(callback(await signInAtProvider(location), cookie)), 'invalid_response')
  })

  it('a provider error (access_denied) → provider_error; a navigation goes to the sign-in page instead', async () => {
    const auth = server()
    const { location, cookie } = await start(auth)
    const state = new URL(location).searchParams.get('state') as string
    const denied = `${CALLBACK}?error=access_denied&error_description=denied&state=${state}&iss=${encodeURIComponent(op.issuer)}`
    const body = await refused(await auth.handle(callback(denied, cookie)), 'provider_error')
    expect(body.providerError).toBe('access_denied')
    const page = await auth.handle(callback(denied, cookie, { accept: 'text/html', 'sec-fetch-mode': 'navigate' }))
    expect(page.status).toBe(303)
    expect(page.headers.get('location')).toBe('/login?error=ERR_OIDC_SIGN_IN&reason=provider_error')
  })

  it('an unknown provider is a 404', async () => {
    const res = await server().handle(authRequest('/signin/nobody'))
    expect(res.status).toBe(404)
  })
})
