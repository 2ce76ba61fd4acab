import { createSessionEngine, MemorySessionStore, type SessionStore } from '@baton/core'
import { NextRequest } from 'next/server'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import type { BatonOptions } from '../options.js'
import { ORIGIN, SECRET, setCookies, testBaton } from '../test-app.fixture.js'
import { openPglite, openSqliteFile, type SqlBackend, signedIn, tokenHash } from './sql-backends.fixture.js'

const AT = '__Host-baton.at'
const RT = '__Host-baton.rt'

function nextRequest(path: string, headers: Record<string, string> = {}): NextRequest {
  return new NextRequest(new URL(path, ORIGIN), { headers })
}

/** The proxy let the request continue (NextResponse.next). */
function expectPassed(response: Response): void {
  expect(response.status).toBe(200)
  expect(response.headers.get('x-middleware-next')).toBe('1')
}

/** The proxy let the request continue untouched: no cookies set, no request headers rewritten. */
function expectUntouched(response: Response): void {
  expectPassed(response)
  expect(response.headers.getSetCookie()).toEqual([])
  expect(response.headers.get('x-middleware-override-headers')).toBeNull()
}

/** The `Cookie` header the page sees after the proxy, as a map. */
function forwardedCookies(response: Response): Record<string, string> {
  const header = response.headers.get('x-middleware-request-cookie')
  expect(header, 'the proxy forwards a rewritten Cookie header').not.toBeNull()
  expect(response.headers.get('x-middleware-override-headers')?.split(',')).toContain('cookie')
  const jar: Record<string, string> = {}
  for (const part of (header as string).split(';')) {
    const eq = part.indexOf('=')
    jar[part.slice(0, eq).trim()] = part.slice(eq + 1).trim()
  }
  return jar
}

function expectCleared(response: Response): void {
  const lines = response.headers.getSetCookie()
  expect(lines).toHaveLength(2)
  expect(setCookies(response)).toEqual({ [AT]: '', [RT]: '' })
  for (const line of lines) {
    expect(line).toContain('Max-Age=0')
    expect(line).toContain('Path=/')
    expect(line).toContain('Secure')
    expect(line).toContain('HttpOnly')
  }
}

describe('Node proxy (SQLite file)', () => {
  let backend: SqlBackend
  let spies: { find: ReturnType<typeof vi.spyOn>; rotate: ReturnType<typeof vi.spyOn> }
  beforeEach(() => {
    backend = openSqliteFile()
    spies = {
      find: vi.spyOn(backend.store, 'findRefreshToken'),
      rotate: vi.spyOn(backend.store, 'rotateRefreshToken'),
    }
  })
  afterEach(async () => {
    vi.restoreAllMocks()
    await backend.close()
  })
  const setup = (overrides: Partial<BatonOptions> = {}) => testBaton(backend.store, overrides)

  describe('what it leaves alone', () => {
    it('passes an unprotected path untouched, cookies or not', async () => {
      const { baton } = await setup()
      expectUntouched(await baton.proxy(nextRequest('/')))
      expectUntouched(await baton.proxy(nextRequest('/about', { cookie: `${RT}=brt_x; theme=dark` })))
      // A path that merely starts like a protected one is not protected.
      expectUntouched(await baton.proxy(nextRequest('/dashboards')))
      expect(spies.find).not.toHaveBeenCalled()
    })

    it('never intercepts the auth routes under basePath, even when everything is protected', async () => {
      const { baton } = await setup({ paths: { protected: ['/'] } })
      for (const path of ['/api/auth', '/api/auth/login', '/api/auth/refresh', '/api/auth/sessions/abc']) {
        expectUntouched(await baton.proxy(nextRequest(path, { cookie: `${RT}=brt_garbage` })))
      }
      // Only the base path itself and what is under it: a sibling is protected.
      const sibling = await baton.proxy(nextRequest('/api/authz'))
      expect(sibling.status).toBe(401)
      const custom = await setup({ basePath: '/auth', paths: { protected: ['/'] } })
      expectUntouched(await custom.baton.proxy(nextRequest('/auth/refresh')))
      expect((await custom.baton.proxy(nextRequest('/api/auth/refresh'))).status).toBe(401)
      expect(spies.find).not.toHaveBeenCalled()
    })

    it('lets a valid access cookie far from expiry through without refreshing', async () => {
      const { baton, clock } = await setup()
      const s = await signedIn(baton)
      clock.advance(60_000)
      const response = await baton.proxy(nextRequest('/dashboard/x?y=1', { cookie: s.cookie({ theme: 'dark' }) }))
      expectUntouched(response)
      expect(spies.find).not.toHaveBeenCalled()
      expect(spies.rotate).not.toHaveBeenCalled()
    })

    it('ignores a Bearer header on a page path (pages are cookie-authenticated)', async () => {
      const { baton } = await setup()
      const s = await signedIn(baton)
      const response = await baton.proxy(nextRequest('/dashboard', { authorization: `Bearer ${s.access}` }))
      expect(response.status).toBe(307)
    })
  })

  describe('when it refreshes', () => {
    it('refreshes an access token within the leeway of its expiry', async () => {
      const { baton, clock } = await setup()
      const s = await signedIn(baton)
      clock.advance(900_000 - 59_000) // 59 s left, leeway 60 s
      const response = await baton.proxy(nextRequest('/dashboard', { cookie: s.cookie() }))
      expectPassed(response)
      expect(spies.rotate).toHaveBeenCalledTimes(1)
      expect(setCookies(response)[RT]).toMatch(/^brt_/)
      expect(setCookies(response)[RT]).not.toBe(s.refresh)
      expect(forwardedCookies(response)[AT]).toBe(setCookies(response)[AT])
    })

    it('takes refreshLeeway in seconds: 120 refreshes with 100 s left, the default 60 would not', async () => {
      const { baton, clock } = await setup({ refreshLeeway: 120 })
      const s = await signedIn(baton)
      clock.advance(900_000 - 130_000) // 130 s left: outside 120 s
      expectUntouched(await baton.proxy(nextRequest('/dashboard', { cookie: s.cookie() })))
      clock.advance(30_000) // 100 s left
      expect(setCookies(await baton.proxy(nextRequest('/dashboard', { cookie: s.cookie() })))[RT]).toMatch(/^brt_/)
      expect(spies.rotate).toHaveBeenCalledTimes(1)
    })

    it('keeps the leeway under a third of the access TTL (a 9 s token is not refreshed on every request)', async () => {
      const { baton, clock } = await setup({ accessTokenTtl: 9 })
      const s = await signedIn(baton)
      for (const at of [0, 1_000, 3_000, 5_000]) {
        clock.set(s.issued.session.createdAt + at)
        expectUntouched(await baton.proxy(nextRequest('/dashboard', { cookie: s.cookie() })))
      }
      expect(spies.rotate).not.toHaveBeenCalled()
      clock.set(s.issued.session.createdAt + 7_000) // 2 s left: inside 9 s / 3
      const response = await baton.proxy(nextRequest('/dashboard', { cookie: s.cookie() }))
      expect(setCookies(response)[RT]).toMatch(/^brt_/)
      expect(spies.rotate).toHaveBeenCalledTimes(1)
    })

    it('refreshes a missing access cookie and forwards both new cookies to the page, keeping the others', async () => {
      const { baton, clock } = await setup()
      const s = await signedIn(baton)
      clock.advance(5_000)
      const cookie = `theme=dark; ${RT}=${s.refresh}; baton.rt=unprefixed-twin; lang=en`
      const response = await baton.proxy(nextRequest('/dashboard?tab=2', { cookie }))
      expectPassed(response)
      expect(response.headers.get('cache-control')).toBe('private, no-store')

      const jar = setCookies(response)
      expect(Object.keys(jar).sort()).toEqual([AT, RT])
      expect(jar[RT]).not.toBe(s.refresh)
      const lines = response.headers.getSetCookie()
      const accessLine = lines.find((l) => l.startsWith(`${AT}=`)) as string
      const refreshLine = lines.find((l) => l.startsWith(`${RT}=`)) as string
      for (const line of [accessLine, refreshLine]) {
        expect(line).toMatch(/; HttpOnly(;|$)/)
        expect(line).toMatch(/; SameSite=Lax(;|$)/)
        expect(line).toMatch(/; Secure(;|$)/)
        expect(line).toMatch(/; Path=\/(;|$)/)
        expect(line).not.toMatch(/Domain=/i)
      }
      // Max-Age counts from now to the token's expiry (JWT `exp` has one-second precision).
      expect(Number(/Max-Age=(\d+);/.exec(accessLine)?.[1])).toBeGreaterThanOrEqual(899)
      expect(Number(/Max-Age=(\d+);/.exec(accessLine)?.[1])).toBeLessThanOrEqual(900)
      expect(refreshLine).toContain('Max-Age=604800;')

      const forwarded = forwardedCookies(response)
      expect(forwarded).toEqual({
        theme: 'dark',
        'baton.rt': 'unprefixed-twin',
        lang: 'en',
        [AT]: jar[AT],
        [RT]: jar[RT],
      })
      expect(response.headers.get('x-middleware-request-cookie')).not.toContain(s.refresh)

      // What the page renders with in this same request is a valid session.
      const seen = await baton.withAuth(async (_req, { auth }) => Response.json(auth))(
        new Request(`${ORIGIN}/dashboard`, {
          headers: { cookie: response.headers.get('x-middleware-request-cookie')! },
        }),
        {},
      )
      expect(seen.status).toBe(200)
      expect((await seen.json()).sessionId).toBe(s.issued.session.id)

      // The store holds exactly the rotation that the cookies describe.
      const children = await backend.children(await tokenHash(s.refresh))
      expect(children).toEqual([{ hash: await tokenHash(jar[RT] as string) }])
    })

    it('forwards a rewritten Cookie header even when the access cookie was duplicated', async () => {
      const { baton, clock } = await setup()
      const s = await signedIn(baton)
      clock.advance(901_000)
      const cookie = `${AT}=${s.access}; ${RT}=${s.refresh}; ${AT}=${s.access}`
      const response = await baton.proxy(nextRequest('/dashboard', { cookie }))
      const forwarded = response.headers.get('x-middleware-request-cookie') as string
      expect(forwarded.split('; ').filter((part) => part.startsWith(`${AT}=`))).toEqual([
        `${AT}=${setCookies(response)[AT]}`,
      ])
    })
  })

  describe('when it denies', () => {
    it('sends a page with an expired access cookie and no refresh cookie to sign-in, clearing the cookie', async () => {
      const { baton, clock } = await setup()
      const s = await signedIn(baton)
      clock.advance(901_000 + 5_000) // past exp + clock tolerance
      const response = await baton.proxy(
        nextRequest('/dashboard/settings?tab=2&x=%2F', { cookie: s.cookie({}, { refresh: false }) }),
      )
      expect(response.status).toBe(307)
      const location = new URL(response.headers.get('location') as string)
      expect(location.origin).toBe(ORIGIN)
      expect(location.pathname).toBe('/login')
      expect(location.searchParams.get('next')).toBe('/dashboard/settings?tab=2&x=%2F')
      expect([...location.searchParams.keys()]).toEqual(['next'])
      expect(response.headers.get('cache-control')).toBe('no-store')
      expectCleared(response)
    })

    it('redirects without Set-Cookie when there was nothing to clear', async () => {
      const { baton } = await setup({ paths: { protected: ['/dashboard'], signIn: '/sign-in' } })
      const response = await baton.proxy(nextRequest('/dashboard'))
      expect(response.status).toBe(307)
      expect(response.headers.get('location')).toBe(`${ORIGIN}/sign-in?next=%2Fdashboard`)
      expect(response.headers.getSetCookie()).toEqual([])
    })

    it('answers an API path with 401 JSON, WWW-Authenticate and a code', async () => {
      const { baton, clock } = await setup()
      const s = await signedIn(baton)
      clock.advance(910_000)
      const expired = await baton.proxy(nextRequest('/api/me', { cookie: s.cookie({}, { refresh: false }) }))
      expect(expired.status).toBe(401)
      expect(expired.headers.get('content-type')).toContain('application/json')
      expect(expired.headers.get('www-authenticate')).toMatch(/^Bearer /)
      expect((await expired.json()).error.code).toBe('ERR_UNAUTHENTICATED')
      expectCleared(expired)
      const none = await baton.proxy(nextRequest('/api/me'))
      expect(none.status).toBe(401)
      expect(none.headers.get('www-authenticate')).toMatch(/^Bearer /)
      expect(none.headers.getSetCookie()).toEqual([])
    })

    const terminal: [
      string,
      string,
      (b: Awaited<ReturnType<typeof setup>>, s: Awaited<ReturnType<typeof signedIn>>) => Promise<string>,
    ][] = [
      ['garbage', 'ERR_REFRESH_TOKEN_INVALID', async () => `brt_${'A'.repeat(43)}`],
      [
        'reused',
        'ERR_REFRESH_TOKEN_REUSED',
        async ({ baton, clock }, s) => {
          await baton.engine.refresh({ refreshToken: s.refresh })
          clock.advance(11_000) // past the 10 s grace
          return s.refresh
        },
      ],
      [
        'revoked',
        'ERR_SESSION_REVOKED',
        async ({ baton }, s) => {
          await baton.engine.signOut({ refreshToken: s.refresh })
          return s.refresh
        },
      ],
    ]
    for (const [name, code, prepare] of terminal) {
      it(`clears the cookies on a terminal refresh failure (${name}): redirect for pages, 401 ${code} for APIs`, async () => {
        const b = await setup()
        const s = await signedIn(b.baton)
        const refresh = await prepare(b, s)
        b.clock.advance(901_000 + 5_000)
        const cookie = `${AT}=${s.access}; ${RT}=${refresh}`
        const page = await b.baton.proxy(nextRequest('/devices', { cookie }))
        expect(page.status).toBe(307)
        expect(page.headers.get('location')).toBe(`${ORIGIN}/login?next=%2Fdevices`)
        expectCleared(page)
        const api = await b.baton.proxy(nextRequest('/api/me', { cookie }))
        expect(api.status).toBe(401)
        expect((await api.json()).error.code).toBe(name === 'reused' ? 'ERR_SESSION_REVOKED' : code)
        expect(api.headers.get('www-authenticate')).toMatch(/^Bearer /)
        expectCleared(api)
      })
    }

    it('revokes the family when a reused token reaches the proxy', async () => {
      const { baton, clock } = await setup()
      const s = await signedIn(baton)
      const rotated = await baton.engine.refresh({ refreshToken: s.refresh })
      clock.advance(11_000)
      const first = await baton.proxy(nextRequest('/api/me', { cookie: `${RT}=${s.refresh}` }))
      expect((await first.json()).error.code).toBe('ERR_REFRESH_TOKEN_REUSED')
      expect((await backend.store.getSession(s.issued.session.id))?.revokeReason).toBe('refresh_token_reused')
      // The thief's successor is dead too.
      const thief = await baton.proxy(nextRequest('/api/me', { cookie: `${RT}=${rotated.refreshToken}` }))
      expect((await thief.json()).error.code).toBe('ERR_SESSION_REVOKED')
    })
  })

  describe('when the store is down', () => {
    it('answers 503 for an expired access token (JSON for APIs, a self-reloading page for pages), never clearing the cookies', async () => {
      const { baton, clock } = await setup()
      const s = await signedIn(baton)
      clock.advance(910_000)
      spies.find.mockRejectedValue(new Error('connection terminated unexpectedly'))
      const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined)

      const api = await baton.proxy(nextRequest('/api/me', { cookie: s.cookie() }))
      expect(api.status).toBe(503)
      expect(api.headers.get('content-type')).toBe('application/json; charset=utf-8')
      expect(api.headers.get('retry-after')).toBe('5')
      expect(api.headers.get('cache-control')).toBe('no-store')
      expect((await api.json()).error.code).toBe('ERR_STORE_UNAVAILABLE')
      expect(api.headers.getSetCookie()).toEqual([])
      expect(api.headers.get('x-middleware-next')).toBeNull()

      const page = await baton.proxy(nextRequest('/dashboard', { cookie: s.cookie() }))
      expect(page.status).toBe(503)
      expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8')
      expect(page.headers.get('retry-after')).toBe('5')
      expect(page.headers.get('cache-control')).toBe('no-store')
      expect(page.headers.getSetCookie()).toEqual([])
      expect(page.headers.get('x-middleware-next')).toBeNull()
      expect(page.headers.get('location')).toBeNull()
      const html = await page.text()
      expect(html).toMatch(/^<!doctype html>/i)
      expect(html).toContain('<meta http-equiv="refresh" content="5">')
      expect(html).not.toMatch(/ERR_STORE_UNAVAILABLE|connection terminated/)

      expect(spies.find).toHaveBeenCalledTimes(2)
      errors.mockRestore()
    })

    it('lets a still-valid access token through (near expiry), without touching the cookies', async () => {
      const { baton, clock } = await setup()
      const s = await signedIn(baton)
      clock.advance(900_000 - 30_000)
      spies.rotate.mockRejectedValue(new Error('SQLITE_BUSY: database is locked'))
      for (const path of ['/api/me', '/dashboard']) {
        const response = await baton.proxy(nextRequest(path, { cookie: s.cookie() }))
        expectUntouched(response)
      }
      expect(spies.rotate).toHaveBeenCalledTimes(2)
    })
  })

  describe('Bearer requests on API paths', () => {
    it('passes a valid Bearer token and never refreshes cookies for it', async () => {
      const { baton, clock } = await setup()
      const s = await signedIn(baton)
      const other = await signedIn(baton)
      clock.advance(900_000 - 10_000) // the cookie token would be refreshed; bearer requests never are
      const response = await baton.proxy(
        nextRequest('/api/me', { authorization: `Bearer ${other.access}`, cookie: s.cookie() }),
      )
      expectUntouched(response)
      expect(spies.find).not.toHaveBeenCalled()
    })

    it('answers 401 with the right code for an expired, forged or malformed Bearer header', async () => {
      const { baton, clock } = await setup()
      const s = await signedIn(baton)
      const foreign = createSessionEngine({
        store: new MemorySessionStore(),
        secret: `${SECRET}-other`,
        issuer: 'baton',
      })
      const forged = (await foreign.signIn({ subject: 'user-ada' })).accessToken
      const cases: [string, string][] = [
        [`Bearer ${forged}`, 'ERR_ACCESS_TOKEN_INVALID'],
        ['Bearer not-a-jwt', 'ERR_ACCESS_TOKEN_INVALID'],
        ['Bearer', 'ERR_ACCESS_TOKEN_INVALID'],
        ['bearer  ', 'ERR_ACCESS_TOKEN_INVALID'],
        [`Bearer ${s.access} extra`, 'ERR_ACCESS_TOKEN_INVALID'],
      ]
      for (const [authorization, code] of cases) {
        const response = await baton.proxy(nextRequest('/api/me', { authorization, cookie: s.cookie() }))
        expect(response.status, authorization).toBe(401)
        expect((await response.json()).error.code, authorization).toBe(code)
        expect(response.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/)
        expect(response.headers.getSetCookie()).toEqual([])
      }
      clock.advance(910_000)
      const expired = await baton.proxy(
        nextRequest('/api/me', { authorization: `Bearer ${s.access}`, cookie: s.cookie() }),
      )
      expect(expired.status).toBe(401)
      expect((await expired.json()).error.code).toBe('ERR_ACCESS_TOKEN_EXPIRED')
      expect(expired.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/)
      expect(expired.headers.getSetCookie()).toEqual([])
      expect(spies.find).not.toHaveBeenCalled()
      expect(spies.rotate).not.toHaveBeenCalled()
    })
  })

  describe('other Authorization schemes on API paths', () => {
    const others = [`Basic ${btoa('ada:pw')}`, 'Token abc', 'Bearerabc', '']

    it.each(others)('%j is not Baton’s: a valid access cookie passes', async (authorization) => {
      const { baton } = await setup()
      const s = await signedIn(baton)
      expectUntouched(await baton.proxy(nextRequest('/api/me', { authorization, cookie: s.cookie() })))
      expect(spies.find).not.toHaveBeenCalled()
    })

    it.each(others)('%j without an access cookie is 401 ERR_UNAUTHENTICATED', async (authorization) => {
      const { baton } = await setup()
      const response = await baton.proxy(nextRequest('/api/me', { authorization }))
      expect(response.status).toBe(401)
      expect((await response.json()).error.code).toBe('ERR_UNAUTHENTICATED')
      expect(response.headers.get('www-authenticate')).toBe('Bearer realm="baton"')
      expect(response.headers.getSetCookie()).toEqual([])
    })

    it.each(others)(
      '%j does not stop the cookie flow: an expired access cookie is refreshed',
      async (authorization) => {
        const { baton, clock } = await setup()
        const s = await signedIn(baton)
        clock.advance(910_000)
        const response = await baton.proxy(nextRequest('/api/me', { authorization, cookie: s.cookie() }))
        expectPassed(response)
        expect(spies.rotate).toHaveBeenCalledTimes(1)
        const set = setCookies(response)
        expect(Object.keys(set).sort()).toEqual([AT, RT].sort())
        expect(set[AT]).not.toBe(s.access)
        expect(forwardedCookies(response)[AT]).toBe(set[AT])
      },
    )
  })

  describe('headers it does not honour', () => {
    const subrequests = [
      'proxy:proxy:proxy:proxy:proxy',
      'middleware:middleware:middleware:middleware:middleware',
      'src/middleware:src/middleware:src/middleware:src/middleware:src/middleware',
      'src/proxy:src/proxy:src/proxy:src/proxy:src/proxy',
      'pages/_middleware',
    ]
    for (const value of subrequests) {
      it(`still protects a path when x-middleware-subrequest is "${value.split(':')[0]}…"`, async () => {
        const { baton } = await setup()
        const page = await baton.proxy(nextRequest('/dashboard', { 'x-middleware-subrequest': value }))
        expect(page.status).toBe(307)
        expect(page.headers.get('location')).toBe(`${ORIGIN}/login?next=%2Fdashboard`)
        expect(page.headers.get('x-middleware-next')).toBeNull()
        const api = await baton.proxy(nextRequest('/api/me', { 'x-middleware-subrequest': value }))
        expect(api.status).toBe(401)
      })
    }

    it('ignores forged session headers: neither the proxy nor withAuth trusts them', async () => {
      const { baton } = await setup()
      const s = await signedIn(baton)
      const forged = {
        'x-baton-user': JSON.stringify({ id: 'user-ada', email: 'ada@example.com' }),
        'x-baton-session': s.issued.session.id,
        'x-middleware-request-cookie': `${AT}=${s.access}; ${RT}=${s.refresh}`,
        'x-middleware-override-headers': 'cookie',
        'x-middleware-next': '1',
        'x-forwarded-user': 'user-ada',
      }
      const page = await baton.proxy(nextRequest('/dashboard', forged))
      expect(page.status).toBe(307)
      const route = baton.withAuth(async (_req, { auth }) => Response.json(auth))
      const denied = await route(new Request(`${ORIGIN}/api/me`, { headers: forged }), {})
      expect(denied.status).toBe(401)
      expect((await denied.json()).error.code).toBe('ERR_UNAUTHENTICATED')
      // An unsigned token in the cookie is no better.
      const header = btoa(JSON.stringify({ alg: 'none', typ: 'at+jwt' })).replace(/=+$/, '')
      const body = btoa(
        JSON.stringify({ sub: 'user-ada', sid: 'x', jti: 'y', iat: 1, exp: 9e9, iss: 'baton', aud: 'baton' }),
      ).replace(/=+$/, '')
      const unsigned = `${header}.${body}.`
      const none = await route(new Request(`${ORIGIN}/api/me`, { headers: { cookie: `${AT}=${unsigned}` } }), {})
      expect(none.status).toBe(401)
      const pageNone = await baton.proxy(nextRequest('/dashboard', { cookie: `${AT}=${unsigned}` }))
      expect(pageNone.status).toBe(307)
    })
  })
})

/** Ten requests of one page load (or ten tabs) arriving with the same expired cookies. */
async function concurrentRefresh(backend: SqlBackend, store: SessionStore): Promise<void> {
  const { baton, clock } = await testBaton(store)
  const s = await signedIn(baton)
  clock.advance(901_000 + 5_000)
  const responses = await Promise.all(
    Array.from({ length: 10 }, (_, i) => baton.proxy(nextRequest(`/dashboard?i=${i}`, { cookie: s.cookie() }))),
  )
  const refreshTokens = new Set<string>()
  for (const response of responses) {
    expectPassed(response)
    const jar = setCookies(response)
    expect(jar[RT]).toMatch(/^brt_/)
    expect(forwardedCookies(response)[RT]).toBe(jar[RT])
    refreshTokens.add(jar[RT] as string)
  }
  expect(refreshTokens.size).toBe(1)
  const [successor] = [...refreshTokens] as [string]
  expect(successor).not.toBe(s.refresh)
  const parentHash = await tokenHash(s.refresh)
  expect(await backend.children(parentHash)).toEqual([{ hash: await tokenHash(successor) }])
  expect(await backend.tokens(s.issued.session.id)).toHaveLength(2)
  const found = await backend.store.findRefreshToken(await tokenHash(successor))
  expect(found?.token.parentHash).toBe(parentHash)
  expect(found?.token.usedAt).toBeNull()
  expect(found?.session.revokedAt).toBeNull()
}

describe('concurrent proxy refreshes', () => {
  it('on a SQLite file: ten parallel requests share one successor', async () => {
    const backend = openSqliteFile()
    try {
      await concurrentRefresh(backend, backend.store)
    } finally {
      await backend.close()
    }
  })

  describe('on PGlite', () => {
    let backend: SqlBackend
    beforeAll(async () => {
      backend = await openPglite()
    })
    afterAll(async () => backend?.close())
    it('ten parallel requests share one successor', async () => {
      await concurrentRefresh(backend, backend.store)
    })
    it('two sessions refreshing in parallel do not interfere', async () => {
      await Promise.all([concurrentRefresh(backend, backend.store), concurrentRefresh(backend, backend.store)])
    })
  })
})
