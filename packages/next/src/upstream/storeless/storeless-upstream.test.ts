import { manualClock } from '@baton/core/testing'
import { describe, expect, it } from 'vitest'
import { request, SECRET, setCookies } from '../../test-app.fixture.js'
import { DEMO_PASSWORD, DEMO_USER, useUpstream } from '../upstream.fixture.js'
import { createStorelessUpstream } from './create-storeless-upstream.js'

const COOKIE = '__Host-baton.up'

/** Upstream mode without a database: the pair in a sealed HttpOnly cookie, single flight in-process. */
describe('storeless upstream (sealed cookie)', () => {
  const upstream = useUpstream({ refreshDelayMs: 30 })
  const make = (extra: { logoutTimeoutMs?: number } = {}) => {
    const clock = manualClock(Date.now())
    const auth = createStorelessUpstream({
      secret: SECRET,
      upstream: { url: upstream().url, retryDelayMs: 10, ...extra },
      cookie: { secure: true },
      clock,
    })
    return { auth, clock }
  }
  it('takes the cookie maxAge in seconds and refuses milliseconds by habit', () => {
    const options = { secret: SECRET, upstream: { url: upstream().url } }
    expect(() => createStorelessUpstream({ ...options, cookie: { maxAge: 604_800_000 } })).toThrow(
      /`cookie.maxAge` is in seconds.*Did you pass milliseconds\?/,
    )
    expect(() => createStorelessUpstream({ ...options, cookie: { maxAge: 0 } })).toThrow(/> 0/)
  })
  const signIn = async (auth: ReturnType<typeof make>['auth'], password = DEMO_PASSWORD) => {
    const response = await auth.handlers.POST(
      request('/api/auth/login', { method: 'POST', json: { email: DEMO_USER.email, password } }),
    )
    return { response, cookie: setCookies(response)[COOKIE] as string }
  }
  const me = (auth: ReturnType<typeof make>['auth']) =>
    auth.withSession(async (_req, { session, upstream: call }) => {
      const answer = await call('/me')
      return Response.json({ ...(await answer.json()), token: session.accessToken })
    })

  it('round trip: login sets one sealed HttpOnly cookie, the route reaches the upstream with it', async () => {
    const { auth } = make()
    const { response, cookie } = await signIn(auth)
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ user: DEMO_USER })
    const [line] = response.headers.getSetCookie()
    expect(line).toMatch(/^__Host-baton\.up=.+; HttpOnly; SameSite=Lax; Secure$/)
    expect(line).not.toMatch(/uat_|urt_/)
    const answer = await me(auth)(request('/api/me', { cookies: { [COOKIE]: cookie } }), {})
    expect(answer.status).toBe(200)
    expect((await answer.json()).user).toEqual(DEMO_USER)
    expect(answer.headers.getSetCookie()).toEqual([]) // nothing refreshed, nothing set
  })

  it('withAuth (the name createBaton uses) hands the session over as `auth`; withSession as `session`', async () => {
    const { auth } = make()
    const { cookie } = await signIn(auth)
    const viaAuth = auth.withAuth<{ id: string }>(async (_req, context) =>
      Response.json({
        user: context.auth.user,
        id: context.id,
        upstream: (await (await context.upstream('/me')).json()).user,
      }),
    )
    const answer = await viaAuth(request('/api/me', { cookies: { [COOKIE]: cookie } }), { id: 'x' })
    expect(await answer.json()).toEqual({ user: DEMO_USER, id: 'x', upstream: DEMO_USER })
    expect((await viaAuth(request('/api/me'), { id: 'x' })).status).toBe(401)
    const session = await auth.session(request('/api/me', { cookies: { [COOKIE]: cookie } }))
    expect(session?.user).toEqual(DEMO_USER)
    expect(await auth.session(request('/api/me'))).toBeNull()
  })

  it('wrong password: 401; no cookie: 401; a tampered cookie: 401', async () => {
    const { auth } = make()
    const { response } = await signIn(auth, 'wrong')
    expect(response.status).toBe(401)
    expect(response.headers.getSetCookie()).toEqual([])
    expect((await me(auth)(request('/api/me'), {})).status).toBe(401)
    const { cookie } = await signIn(auth)
    const tampered = `${cookie.slice(0, 60)}${cookie[60] === 'A' ? 'B' : 'A'}${cookie.slice(61)}`
    expect((await me(auth)(request('/api/me', { cookies: { [COOKIE]: tampered } }), {})).status).toBe(401)
  })

  it('50 concurrent requests with an expiring cookie: one upstream refresh, every response carries the new cookie', async () => {
    const { auth, clock } = make()
    const { cookie } = await signIn(auth)
    clock.advance(60_000)
    const answers = await Promise.all(
      Array.from({ length: 50 }, () => me(auth)(request('/api/me', { cookies: { [COOKIE]: cookie } }), {})),
    )
    expect(answers.map((a) => a.status)).toEqual(Array(50).fill(200))
    const tokens = new Set(await Promise.all(answers.map(async (a) => (await a.json()).token)))
    expect(tokens.size).toBe(1)
    for (const a of answers) expect(setCookies(a)[COOKIE]).toBeTruthy()
    expect(upstream().controls.stats()).toMatchObject({ refreshCalls: 1, doubleSpends: 0 })
  })

  it('a late request with the old cookie gets the remembered successor, not a second spend', async () => {
    const { auth, clock } = make()
    const { cookie } = await signIn(auth)
    clock.advance(60_000)
    const first = await auth.session({ headers: new Headers({ cookie: `${COOKIE}=${cookie}` }) })
    const late = await auth.session({ headers: new Headers({ cookie: `${COOKIE}=${cookie}` }) })
    expect(late?.accessToken).toBe(first?.accessToken)
    expect(upstream().controls.stats()).toMatchObject({ refreshCalls: 1, doubleSpends: 0 })
  })

  it('documented limit: two instances without shared state spend the same refresh token twice', async () => {
    const a = make()
    const b = make()
    const { cookie } = await signIn(a.auth)
    a.clock.advance(60_000)
    b.clock.advance(60_000)
    const headers = new Headers({ cookie: `${COOKIE}=${cookie}` })
    await a.auth.session({ headers })
    await expect(b.auth.session({ headers })).rejects.toMatchObject({ code: 'ERR_UPSTREAM_SESSION_ENDED' })
    expect(upstream().controls.stats()).toMatchObject({ doubleSpends: 1, revokedFamilies: 1 })
  })

  it('refresh 503: 502 and the cookie is kept; refresh 401: 401 and the cookie is cleared', async () => {
    const { auth, clock } = make()
    const { cookie } = await signIn(auth)
    clock.advance(60_000)
    upstream().controls.fail({ route: 'refresh', mode: '503', count: 1 })
    const down = await me(auth)(request('/api/me', { cookies: { [COOKIE]: cookie } }), {})
    expect(down.status).toBe(502)
    expect((await down.json()).error.code).toBe('ERR_UPSTREAM_UNAVAILABLE')
    expect(down.headers.getSetCookie()).toEqual([])
    upstream().controls.fail({ route: 'refresh', mode: '401', count: 1 })
    const ended = await me(auth)(request('/api/me', { cookies: { [COOKIE]: cookie } }), {})
    expect(ended.status).toBe(401)
    expect(setCookies(ended)[COOKIE]).toBe('')
  })

  it('logout reaches the upstream and clears the cookie, even when the upstream hangs', async () => {
    const { auth } = make({ logoutTimeoutMs: 300 })
    const { cookie } = await signIn(auth)
    const out = await auth.handlers.POST(request('/api/auth/logout', { method: 'POST', cookies: { [COOKIE]: cookie } }))
    expect(out.status).toBe(200)
    expect(setCookies(out)[COOKIE]).toBe('')
    expect(upstream().controls.stats()).toMatchObject({ logouts: 1, revokedFamilies: 1 })
    const second = await signIn(auth)
    upstream().controls.fail({ route: 'logout', mode: 'hang', count: 1 })
    const started = Date.now()
    const hung = await auth.handlers.POST(
      request('/api/auth/logout', { method: 'POST', cookies: { [COOKIE]: second.cookie } }),
    )
    expect(Date.now() - started).toBeLessThan(1500)
    expect(setCookies(hung)[COOKIE]).toBe('')
  })

  it('refuses at sign-in, pointing to the store, tokens too big for one cookie — and logs the pair out upstream', async () => {
    const loggedOut: string[] = []
    const big = { accessToken: `uat_${'a'.repeat(3000)}`, refreshToken: `urt_${'r'.repeat(1500)}`, expiresIn: 300 }
    const auth = createStorelessUpstream({
      secret: SECRET,
      upstream: {
        url: upstream().url,
        login: async () => ({ ...big, user: DEMO_USER }),
        logout: async ({ refreshToken }) => {
          loggedOut.push(refreshToken)
        },
      },
      cookie: { secure: true },
    })
    const errors: unknown[] = []
    const original = console.error
    console.error = (...args: unknown[]) => errors.push(args)
    try {
      const { response } = await signIn(auth)
      expect(response.status).toBe(500)
      expect((await response.json()).error.code).toBe('ERR_CONFIG')
      expect(response.headers.getSetCookie()).toEqual([])
    } finally {
      console.error = original
    }
    expect(String(errors.flat().map((e) => (e instanceof Error ? e.message : e)))).toMatch(
      /createBaton\(\{ store, upstream \}\)/,
    )
    expect(loggedOut).toEqual([big.refreshToken])
  })
})
