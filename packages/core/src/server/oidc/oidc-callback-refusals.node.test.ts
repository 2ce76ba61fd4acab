import { describe, expect, it } from 'vitest'
import { signInAtProvider } from '../../../../../test-kit/src/oidc-provider.js'
import { OidcSignInError } from '../../index.js'
import {
  authRequest,
  CALLBACK,
  callback,
  op,
  PROVIDER,
  server,
  signedIn,
  start,
  useOidcProvider,
} from './oidc.fixture.js'

useOidcProvider()

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
    expect(page.headers.get('location')).toBe(
      '/login?error=ERR_OIDC_SIGN_IN&reason=provider_error&provider_error=access_denied',
    )
  })

  it('an unknown provider is a 404', async () => {
    const res = await server().handle(authRequest('/signin/nobody'))
    expect(res.status).toBe(404)
  })

  it('a provider that cannot be reached: 503 JSON for an API call, the sign-in page with the code for a person', async () => {
    const down = server({ providers: { oidc: { ...PROVIDER, issuer: 'http://127.0.0.1:9/' } }, timeout: 2 })
    const api = await down.handle(authRequest('/signin/oidc', { headers: { accept: 'application/json' } }))
    expect(api.status).toBe(503)
    expect((await api.json()).error.code).toBe('ERR_UPSTREAM_UNAVAILABLE')
    const page = await down.handle(authRequest('/signin/oidc', { headers: { 'sec-fetch-mode': 'navigate' } }))
    expect([page.status, page.headers.get('location')]).toEqual([303, '/login?error=ERR_UPSTREAM_UNAVAILABLE'])
  })
})
