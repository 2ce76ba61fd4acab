import { exportJWK, generateKeyPair } from 'jose'
import { afterAll, beforeAll, expect } from 'vitest'
// The provider fixture lives in the private test-kit workspace (which depends on @baton/core, so
// @baton/core cannot depend on it): imported by path, it resolves oidc-provider from test-kit.
import {
  type OidcProviderFixture,
  signInAtProvider,
  startOidcProvider,
} from '../../../../../test-kit/src/oidc-provider.js'
import { MemorySessionStore } from '../../index.js'
import type { AuthServer } from '../auth-server.js'
import { createAuthServer } from '../create-auth-server.js'
import type { BatonOptions } from '../options.js'
import { authRequest, cookieHeader, ORIGIN, SECRET } from '../server.fixture.js'

export { authRequest, cookieHeader, ORIGIN, SECRET }

/** What the OIDC test files share: one oidc-provider per file, Baton servers on a memory store and a clock of their own. */

export const CALLBACK = `${ORIGIN}/api/auth/callback/oidc`
export let op: OidcProviderFixture
export let jwtKey: { privateKey: CryptoKey; publicKey: CryptoKey }
let clock = Date.now()

/** Moves Baton's clock (the provider's access tokens last 60 s). */
export function advance(ms: number): void {
  clock += ms
}

const SECRET_OF_CLIENT = 'baton-test-secret-0123456789abcdef0123456789'
export const PROVIDER = {
  issuer: '',
  clientId: 'baton-test',
  clientSecret: SECRET_OF_CLIENT,
  authorizationParams: { prompt: 'consent' },
}

/** Starts the provider for the calling test file (its clients: baton-test, other-client, post-client, public-client, jwt-client). */
export function useOidcProvider(): void {
  beforeAll(async () => {
    const client = (client_id: string) => ({
      client_id,
      client_secret: SECRET_OF_CLIENT,
      token_endpoint_auth_method: 'client_secret_basic' as const,
      redirect_uris: [CALLBACK, `${ORIGIN}/api/auth/callback/second`],
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
}

export function server(extra: Partial<NonNullable<BatonOptions['oidc']>> = {}): AuthServer {
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
export async function start(auth: AuthServer, returnTo = '/dashboard') {
  const res = await auth.handle(authRequest(`/signin/oidc?returnTo=${encodeURIComponent(returnTo)}`))
  expect(res.status).toBe(302)
  return { location: res.headers.get('location') as string, cookie: cookieHeader(res) }
}

/** The callback as the browser makes it after the provider's redirect. */
export function callback(
  url: URL | string,
  cookie: string,
  headers: Record<string, string> = { accept: 'application/json' },
) {
  const u = new URL(url)
  return authRequest(`/callback/oidc${u.search}`, { cookie, headers })
}

/** A full sign-in (provider login and consent included): the callback's answer, the session's cookies and its id. */
export async function signedIn(auth: AuthServer, login?: string) {
  const { location, cookie } = await start(auth)
  const back = await signInAtProvider(location, login ? { login } : {})
  const res = await auth.handle(callback(back, cookie))
  expect(res.status, await res.clone().text()).toBe(303)
  const session = await auth.session({ request: authRequest('/session', { cookie: cookieHeader(res) }) })
  return { res, cookie: cookieHeader(res), ref: { sessionId: session?.sessionId as string } }
}
