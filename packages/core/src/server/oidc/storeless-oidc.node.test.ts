import { describe, expect, it } from 'vitest'
import { signInAtProvider } from '../../../../../test-kit/src/oidc-provider.js'
import type { OidcOptions } from '../oidc/oidc-options.js'
import { createStorelessUpstream } from '../storeless/create-storeless-upstream.js'
import { authRequest, cookieHeader, ORIGIN, op, PROVIDER, SECRET, useOidcProvider } from './oidc.fixture.js'

useOidcProvider()

// OpenID Connect without a database: the provider's tokens and the user sealed in one cookie.
function storeless(extra: Partial<OidcOptions> = {}) {
  let now = Date.now()
  const auth = createStorelessUpstream({
    secret: SECRET,
    cookie: { secure: false },
    clock: { now: () => now },
    oidc: { providers: { oidc: PROVIDER }, ...extra },
  })
  return { auth, advance: (ms: number) => (now += ms) }
}

async function signIn(auth: ReturnType<typeof storeless>['auth'], login = 'olga') {
  const start = await auth.handlers.GET(authRequest('/signin/oidc?returnTo=/home'))
  expect(start.status).toBe(302)
  const back = await signInAtProvider(start.headers.get('location') as string, { login })
  return auth.handlers.GET(
    authRequest(`/callback/oidc${back.search}`, {
      cookie: cookieHeader(start),
      headers: { accept: 'application/json' },
    }),
  )
}

describe('storeless OpenID Connect (sealed cookie)', () => {
  it('signs in, reaches the provider as the user, refreshes once for ten concurrent requests', async () => {
    const { auth, advance } = storeless()
    const res = await signIn(auth)
    expect([res.status, res.headers.get('location')]).toEqual([303, '/home'])
    const cookie = cookieHeader(res)
    expect(cookie).toMatch(/^baton\.up=/)
    const session = await auth.session({ headers: new Headers({ cookie }) })
    expect(session?.user).toMatchObject({ id: 'olga', email: 'olga@example.com', provider: 'oidc' })
    const me = await auth.withAuth(async (_request, { upstream }) => upstream('/me'))(authRequest('/x', { cookie }), {})
    expect(await me.json()).toMatchObject({ sub: 'olga' })
    const before = op.counts.refreshToken
    advance(120_000)
    const fresh = await Promise.all(
      Array.from({ length: 10 }, () => auth.session({ headers: new Headers({ cookie }) })),
    )
    expect(op.counts.refreshToken - before).toBe(1)
    expect(new Set(fresh.map((s) => s?.accessToken)).size).toBe(1)
    expect(fresh[0]?.setCookie).toMatch(/^baton\.up=/)
    expect(op.events.filter((e) => e.type === 'refresh_token.reused')).toEqual([])
  })

  it('refuses at sign-in, pointing to the store, provider tokens too big for a cookie, and revokes them', async () => {
    const { auth } = storeless({
      // No userinfo call at sign-in: the inflated access token would be refused there first.
      providers: { oidc: { ...PROVIDER, userinfo: false } },
      fetch: async (input, init) => {
        const res = await fetch(input, init)
        if (!String(input).endsWith('/token')) return res
        const body = await res.json()
        return Response.json(
          { ...body, access_token: `${body.access_token}${'x'.repeat(4000)}` },
          { status: res.status },
        )
      },
    })
    const revocations = op.counts.revocation
    const errors: unknown[] = []
    const original = console.error
    console.error = (...args: unknown[]) => errors.push(...args)
    try {
      const res = await signIn(auth)
      expect(res.status).toBe(500)
      expect((await res.json()).error.code).toBe('ERR_CONFIG')
      expect(
        res.headers.getSetCookie().some((line) => line.startsWith('baton.up=') && !line.includes('Max-Age=0')),
      ).toBe(false)
    } finally {
      console.error = original
    }
    expect(String(errors.map((e) => (e instanceof Error ? e.message : e)))).toMatch(/createBaton\(\{ store/)
    expect(op.counts.revocation - revocations).toBe(1)
  })

  it('POST /signout/oidc revokes the provider refresh token and sends the browser to end_session_endpoint', async () => {
    const { auth } = storeless()
    const cookie = cookieHeader(await signIn(auth, 'pia'))
    const revocations = op.counts.revocation
    const res = await auth.handlers.POST(authRequest('/signout/oidc', { method: 'POST', cookie }))
    expect(res.status).toBe(303)
    const to = new URL(res.headers.get('location') as string)
    expect(to.searchParams.get('post_logout_redirect_uri')).toBe(`${ORIGIN}/login`)
    expect(to.searchParams.get('id_token_hint')?.split('.')).toHaveLength(3)
    expect(res.headers.getSetCookie().some((line) => line.startsWith('baton.up=;') || line.includes('Max-Age=0'))).toBe(
      true,
    )
    expect(op.counts.revocation - revocations).toBe(1)
    // And POST /login is not a route here: this variant signs in through its provider.
    const login = await auth.handlers.POST(authRequest('/login', { body: { email: 'a@b.c', password: 'x' } }))
    expect(login.status).toBe(404)
  })
})
