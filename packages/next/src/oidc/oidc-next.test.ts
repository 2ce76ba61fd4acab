import { MemorySessionStore } from '@baton/core'
import { type OidcProviderFixture, signInAtProvider, startOidcProvider } from '@baton/test-kit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createUpstreamClient } from '../axios/create-upstream-client.js'
import { createBaton } from '../create-baton.js'
import { oidcProviders } from '../index.js'
import { ORIGIN, request, SECRET, setCookies } from '../test-app.fixture.js'

// The Next.js bindings over OpenID Connect: the route handlers, the server helpers and
// createUpstreamClient, against oidc-provider.
let op: OidcProviderFixture
beforeAll(async () => {
  op = await startOidcProvider({ redirectUris: [`${ORIGIN}/api/auth/callback/oidc`], accessTokenTtl: 60 })
})
afterAll(() => op?.close())

const cookieOf = (response: Response) =>
  Object.entries(setCookies(response))
    .filter(([, value]) => value !== '')
    .map(([name, value]) => `${name}=${value}`)
    .join('; ')

describe('createBaton with `oidc`', () => {
  it('signs in through the handlers; the session and the provider token reach server code and createUpstreamClient', async () => {
    const baton = createBaton({
      store: new MemorySessionStore(),
      secret: SECRET,
      cookies: { secure: false },
      oidc: {
        providers: {
          oidc: {
            issuer: op.issuer,
            clientId: 'baton-test',
            clientSecret: 'baton-test-secret-0123456789abcdef0123456789',
            authorizationParams: { prompt: 'consent' },
          },
        },
      },
    })
    const start = await baton.handlers.GET(request('/api/auth/signin/oidc?returnTo=/dashboard'))
    expect(start.status).toBe(302)
    const back = await signInAtProvider(start.headers.get('location') as string, { login: 'nina' })
    const done = await baton.handlers.GET(
      request(`/api/auth/callback/oidc${back.search}`, { headers: { cookie: cookieOf(start) } }),
    )
    expect([done.status, done.headers.get('location')]).toEqual([303, '/dashboard'])
    const session = await baton.server.session({
      request: request('/dashboard', { headers: { cookie: cookieOf(done) } }),
    })
    expect(session?.user).toMatchObject({ id: 'nina', email: 'nina@example.com', name: 'Nina', provider: 'oidc' })
    const api = createUpstreamClient(baton, { sessionId: session?.sessionId as string })
    const me = await api.get('/me')
    expect(me.data).toMatchObject({ sub: 'nina', email: 'nina@example.com' })
    // POST /login with a password is refused: this app signs in through its provider.
    const login = await baton.handlers.POST(
      request('/api/auth/login', { method: 'POST', json: { email: 'nina@example.com', password: 'x' } }),
    )
    expect(login.status).toBe(400)
  })

  it('exports the provider presets', () => {
    expect(oidcProviders.keycloak({ url: 'https://sso.example.com', realm: 'acme', clientId: 'app' }).issuer).toBe(
      'https://sso.example.com/realms/acme',
    )
  })
})
