import { afterAll, beforeAll, describe, expect, it } from 'vitest'
// A real oidc-provider on 127.0.0.1 (test-kit, imported by path as in oidc-sign-in.node.test.ts).
import { type OidcProviderFixture, startOidcProvider } from '../../../../../test-kit/src/oidc-provider.js'
import { MemorySessionStore } from '../../index.js'
import { createAuthServer } from '../create-auth-server.js'
import { authRequest, ORIGIN, SECRET } from '../server.fixture.js'
import type { OidcProviderOptions } from './oidc-options.js'
import { oidcProviders } from './presets.js'

const client = { clientId: 'app', clientSecret: 'shh' }

describe('oidcProviders', () => {
  it('keycloak: the realm issuer, a session-bound refresh token (no offline_access)', () => {
    expect(oidcProviders.keycloak({ url: 'https://sso.example.com/', realm: 'acme', ...client })).toEqual({
      issuer: 'https://sso.example.com/realms/acme',
      clientId: 'app',
      clientSecret: 'shh',
      scope: 'openid profile email',
    })
  })

  it('auth0: the issuer with its trailing slash, offline_access, audience as a parameter', () => {
    const p = oidcProviders.auth0({ domain: 'acme.eu.auth0.com', audience: 'https://api.acme.com', ...client })
    expect(p.issuer).toBe('https://acme.eu.auth0.com/')
    expect(p.scope).toBe('openid profile email offline_access')
    expect(p.authorizationParams).toEqual({ audience: 'https://api.acme.com' })
    expect(p).not.toHaveProperty('audience')
    expect(oidcProviders.auth0({ domain: 'https://login.acme.com/', clientId: 'app' })).toEqual({
      issuer: 'https://login.acme.com/',
      clientId: 'app',
      scope: 'openid profile email offline_access',
    })
  })

  it('okta: the default custom authorization server, a named one, or the org server', () => {
    expect(oidcProviders.okta({ domain: 'acme.okta.com', ...client }).issuer).toBe(
      'https://acme.okta.com/oauth2/default',
    )
    expect(oidcProviders.okta({ domain: 'acme.okta.com', authorizationServer: 'aus1x2', ...client }).issuer).toBe(
      'https://acme.okta.com/oauth2/aus1x2',
    )
    const org = oidcProviders.okta({ domain: 'acme.okta.com', authorizationServer: null, ...client })
    expect(org.issuer).toBe('https://acme.okta.com')
    expect(org.scope).toBe('openid profile email offline_access')
    expect(org).not.toHaveProperty('authorizationServer')
  })

  it('cognito: the cognito-idp issuer, no offline_access scope', () => {
    expect(oidcProviders.cognito({ region: 'eu-west-1', userPoolId: 'eu-west-1_AbC', clientId: 'app' })).toEqual({
      issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC',
      clientId: 'app',
      scope: 'openid profile email',
    })
  })

  it('entraId: common by default, or a tenant id; offline_access', () => {
    expect(oidcProviders.entraId(client).issuer).toBe('https://login.microsoftonline.com/common/v2.0')
    const t = oidcProviders.entraId({ tenant: '72f988bf-86f1-41af-91ab-2d7cd011db47', ...client })
    expect(t.issuer).toBe('https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0')
    expect(t.scope).toBe('openid profile email offline_access')
  })

  it('google: accounts.google.com, no offline_access, access_type=offline and prompt=consent', () => {
    expect(oidcProviders.google(client)).toEqual({
      issuer: 'https://accounts.google.com',
      clientId: 'app',
      clientSecret: 'shh',
      scope: 'openid profile email',
      authorizationParams: { access_type: 'offline', prompt: 'consent' },
    })
  })

  it('overrides win; authorizationParams are merged with the preset’s', () => {
    const toUser = () => ({ id: 'x' })
    const p = oidcProviders.google({
      ...client,
      scope: 'openid email',
      label: 'Google',
      userinfo: true,
      toUser,
      clientAuth: 'client_secret_post',
      authorizationParams: { prompt: 'select_account', hd: 'acme.com' },
    })
    expect(p).toMatchObject({
      scope: 'openid email',
      label: 'Google',
      userinfo: true,
      clientAuth: 'client_secret_post',
    })
    expect(p.toUser).toBe(toUser)
    expect(p.authorizationParams).toEqual({ access_type: 'offline', prompt: 'select_account', hd: 'acme.com' })
    expect(
      oidcProviders.keycloak({ url: 'https://sso', realm: 'r', clientId: 'a', issuer: 'https://other' }).issuer,
    ).toBe('https://other')
    expect(oidcProviders.cognito({ region: 'r', userPoolId: 'p', clientId: 'a', scope: 'openid' }).scope).toBe('openid')
  })

  it('createAuthServer accepts every preset (discovery waits for the first sign-in)', () => {
    const all: Record<string, OidcProviderOptions> = {
      keycloak: oidcProviders.keycloak({ url: 'https://sso.example.com', realm: 'acme', ...client }),
      auth0: oidcProviders.auth0({ domain: 'acme.eu.auth0.com', audience: 'https://api', ...client }),
      okta: oidcProviders.okta({ domain: 'acme.okta.com', ...client }),
      cognito: oidcProviders.cognito({ region: 'eu-west-1', userPoolId: 'eu-west-1_AbC', clientId: 'app' }),
      entra: oidcProviders.entraId({ tenant: 'organizations', ...client }),
      google: oidcProviders.google(client),
    }
    for (const [name, p] of Object.entries(all)) {
      const store = new MemorySessionStore()
      expect(() => createAuthServer({ store, secret: SECRET, oidc: { providers: { [name]: p } } }), name).not.toThrow()
    }
    expect(() =>
      createAuthServer({ store: new MemorySessionStore(), secret: SECRET, oidc: { providers: all } }),
    ).not.toThrow()
  })
})

describe('a preset against a real provider', () => {
  let op: OidcProviderFixture
  beforeAll(async () => {
    op = await startOidcProvider({ redirectUris: [`${ORIGIN}/api/auth/callback/google`] })
  })
  afterAll(() => op?.close())

  it('GET /signin sends the preset’s scope and parameters to the discovered authorization endpoint', async () => {
    const google = oidcProviders.google({
      clientId: 'baton-test',
      clientSecret: 'baton-test-secret-0123456789abcdef0123456789',
      issuer: op.issuer,
    })
    const auth = createAuthServer({
      store: new MemorySessionStore(),
      secret: SECRET,
      cookies: { secure: false },
      oidc: { providers: { google } },
    })
    const res = await auth.handle(authRequest('/signin/google?returnTo=/dashboard'))
    expect(res.status).toBe(302)
    const to = new URL(res.headers.get('location') as string)
    expect(`${to.origin}${to.pathname}`).toBe(`${op.issuer}/auth`)
    expect(to.searchParams.get('scope')).toBe('openid profile email')
    expect(to.searchParams.get('access_type')).toBe('offline')
    expect(to.searchParams.get('prompt')).toBe('consent')
    expect(to.searchParams.get('client_id')).toBe('baton-test')
    expect(to.searchParams.get('redirect_uri')).toBe(`${ORIGIN}/api/auth/callback/google`)
  })
})
