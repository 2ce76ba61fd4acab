import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Baton } from '../create-baton.js'
import { ORIGIN, SECRET, setCookies } from '../test-app.fixture.js'
import {
  cookieHeader,
  expectError,
  freshUser,
  type Jar,
  quickBaton,
  routeBackends,
  signIn,
  useBackend,
} from './routes.fixture.js'

function call(
  baton: Baton,
  method: string,
  path: string,
  init: { jar?: Partial<Jar>; headers?: Record<string, string>; body?: BodyInit } = {},
): Promise<Response> {
  const headers = new Headers(init.headers)
  if (method !== 'GET' && !headers.has('origin')) headers.set('origin', ORIGIN)
  const cookies: Record<string, string> = {}
  if (init.jar?.access) cookies[baton.cookieNames.access] = init.jar.access
  if (init.jar?.refresh) cookies[baton.cookieNames.refresh] = init.jar.refresh
  if (Object.keys(cookies).length > 0 && !headers.has('cookie')) headers.set('cookie', cookieHeader(cookies))
  const handler = baton.handlers[method as 'GET'] ?? baton.handlers.GET
  return handler(new Request(new URL(path, ORIGIN), { method, headers, body: init.body }))
}

function expectClearedCookies(response: Response): void {
  const jar = setCookies(response)
  expect(jar).toEqual({ '__Host-baton.at': '', '__Host-baton.rt': '' })
  for (const line of response.headers.getSetCookie())
    expect(line).toMatch(/; Max-Age=0; .*HttpOnly; SameSite=Lax; Secure$/)
}

async function isLive(baton: Baton, sessionId: string): Promise<boolean> {
  const session = await baton.engine.store.getSession(sessionId)
  return session !== null && session.revokedAt === null
}

afterEach(() => {
  vi.restoreAllMocks()
})

for (const backend of routeBackends) {
  describe(`session routes on ${backend.name}`, () => {
    const store = useBackend(backend)

    describe('GET /session', () => {
      it('answers the user, the session and the token, no-store, from the cookie or a Bearer header', async () => {
        const { baton } = await quickBaton(store())
        const { email, id } = await freshUser()
        const { jar, body: login } = await signIn(baton, email)
        for (const init of [
          { jar },
          { headers: { authorization: `Bearer ${jar.access}` } },
          { headers: { authorization: `bearer  ${jar.access} ` } },
        ]) {
          const response = await call(baton, 'GET', '/api/auth/session', init)
          expect(response.status).toBe(200)
          expect(response.headers.get('cache-control')).toBe('no-store')
          const body = await response.json()
          expect(Object.keys(body).sort()).toEqual(['accessToken', 'accessTokenExpiresAt', 'session', 'user'])
          expect(body.user).toMatchObject({ id, email })
          expect(body.accessToken).toBe(jar.access)
          expect(body.session).toMatchObject({ id: login.session.id, current: true })
          expect(JSON.stringify(body)).not.toContain('brt_')
        }
      })

      it('no token but a refresh cookie → 401 ERR_UNAUTHENTICATED with WWW-Authenticate (the client refreshes)', async () => {
        const { baton } = await quickBaton(store())
        const { email } = await freshUser()
        const { jar } = await signIn(baton, email)
        for (const cookie of [`__Host-baton.rt=${jar.refresh}`, `__Host-baton.at=; __Host-baton.rt=x`]) {
          const response = await call(baton, 'GET', '/api/auth/session', { headers: { cookie } })
          expect(response.headers.get('www-authenticate')).toBe('Bearer realm="baton"')
          await expectError(response, 401, 'ERR_UNAUTHENTICATED')
        }
      })

      it('neither a token nor a refresh cookie → 401 ERR_REFRESH_TOKEN_MISSING (nothing to refresh)', async () => {
        const { baton } = await quickBaton(store())
        const { email } = await freshUser()
        const { jar } = await signIn(baton, email)
        for (const cookie of ['', `baton.at=${jar.access}`, `__Host-baton.at=`, `baton.rt=${jar.refresh}`]) {
          const response = await call(baton, 'GET', '/api/auth/session', { headers: cookie ? { cookie } : {} })
          expect(response.headers.get('www-authenticate')).toBe('Bearer realm="baton"')
          await expectError(response, 401, 'ERR_REFRESH_TOKEN_MISSING')
        }
      })

      it.each([
        ['garbage cookie', { cookie: '__Host-baton.at=garbage' }],
        ['an empty Bearer', { authorization: 'Bearer' }],
        ['two tokens', { authorization: 'Bearer a b' }],
        ['a forged alg:none token', { authorization: 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.' }],
        ['SQL in the header', { authorization: "Bearer ' OR 1=1" }],
        ['a huge token', { authorization: `Bearer ${'a'.repeat(20_000)}` }],
      ])('%s → 401 ERR_ACCESS_TOKEN_INVALID with an invalid_token challenge', async (_, headers) => {
        const { baton } = await quickBaton(store())
        const response = await call(baton, 'GET', '/api/auth/session', { headers })
        expect(response.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/)
        await expectError(response, 401, 'ERR_ACCESS_TOKEN_INVALID')
      })

      it.each([['Basic YTpi'], ['Token abc'], ['Bearerabc'], ['']])(
        'another Authorization scheme (%j) is ignored: the access cookie decides',
        async (authorization) => {
          const { baton } = await quickBaton(store())
          const { email, id } = await freshUser()
          const { jar } = await signIn(baton, email)
          const withCookie = await call(baton, 'GET', '/api/auth/session', { jar, headers: { authorization } })
          expect(withCookie.status).toBe(200)
          const body = await withCookie.json()
          expect(body.user).toMatchObject({ id, email })
          expect(body.accessToken).toBe(jar.access)
          const without = await call(baton, 'GET', '/api/auth/session', { headers: { authorization } })
          expect(without.headers.get('www-authenticate')).toBe('Bearer realm="baton"')
          await expectError(without, 401, 'ERR_REFRESH_TOKEN_MISSING')
        },
      )

      it('a Bearer header wins over the cookie: an invalid one is not rescued by a valid cookie', async () => {
        const { baton } = await quickBaton(store())
        const { email } = await freshUser()
        const { jar } = await signIn(baton, email)
        await expectError(
          await call(baton, 'GET', '/api/auth/session', { jar, headers: { authorization: 'Bearer nope' } }),
          401,
          'ERR_ACCESS_TOKEN_INVALID',
        )
      })

      it('a token from another secret → ERR_ACCESS_TOKEN_INVALID', async () => {
        const { baton } = await quickBaton(store())
        const { baton: other } = await quickBaton(store(), { secret: `${SECRET}-other-instance` })
        const { email } = await freshUser()
        const { jar } = await signIn(other, email)
        await expectError(await call(baton, 'GET', '/api/auth/session', { jar }), 401, 'ERR_ACCESS_TOKEN_INVALID')
      })

      it('an expired token → ERR_ACCESS_TOKEN_EXPIRED; a revoked session → ERR_SESSION_REVOKED', async () => {
        const { baton, clock } = await quickBaton(store())
        const { email } = await freshUser()
        const { jar } = await signIn(baton, email)
        clock.advance(16 * 60_000)
        const expired = await call(baton, 'GET', '/api/auth/session', { jar })
        expect(expired.headers.get('www-authenticate')).toMatch(/error="invalid_token"/)
        await expectError(expired, 401, 'ERR_ACCESS_TOKEN_EXPIRED')
        const { jar: jar2 } = await signIn(baton, email)
        await call(baton, 'POST', '/api/auth/logout', { jar: { refresh: jar2.refresh } })
        await expectError(await call(baton, 'GET', '/api/auth/session', { jar: jar2 }), 401, 'ERR_SESSION_REVOKED')
      })
    })

    describe('GET /sessions', () => {
      it("lists the user's live sessions only, the current one marked, without tokens", async () => {
        const { baton } = await quickBaton(store())
        const { email, id } = await freshUser()
        const other = await freshUser()
        const a = await signIn(baton, email, { headers: { 'user-agent': 'A', 'x-forwarded-for': '192.0.2.1' } })
        const b = await signIn(baton, email, { headers: { 'user-agent': 'B' } })
        const c = await signIn(baton, email)
        await signIn(baton, other.email)
        await call(baton, 'POST', '/api/auth/logout', { jar: { refresh: c.jar.refresh } })
        const response = await call(baton, 'GET', '/api/auth/sessions', { jar: b.jar })
        expect(response.status).toBe(200)
        expect(response.headers.get('cache-control')).toBe('no-store')
        const { sessions } = await response.json()
        expect(sessions.map((s: { id: string }) => s.id).sort()).toEqual([a.body.session.id, b.body.session.id].sort())
        const byId = Object.fromEntries(sessions.map((s: { id: string }) => [s.id, s]))
        expect(byId[b.body.session.id]).toMatchObject({ current: true, userAgent: 'B' })
        expect(byId[a.body.session.id]).toMatchObject({ current: false, userAgent: 'A', ip: '192.0.2.1' })
        for (const s of sessions) {
          expect(Object.keys(s).sort()).toEqual(
            [
              'absoluteExpiresAt',
              'createdAt',
              'current',
              'deviceId',
              'expiresAt',
              'id',
              'ip',
              'lastUsedAt',
              'userAgent',
            ].sort(),
          )
        }
        expect(JSON.stringify(sessions)).not.toContain('brt_')
        expect(await baton.engine.listSessions({ subject: id })).toHaveLength(2)
      })

      it('401 without a token', async () => {
        const { baton } = await quickBaton(store())
        await expectError(await call(baton, 'GET', '/api/auth/sessions'), 401, 'ERR_UNAUTHENTICATED')
      })
    })

    describe('DELETE /sessions/:id', () => {
      it('revokes another of my sessions: 200, no cookies touched, that session is dead', async () => {
        const { baton } = await quickBaton(store())
        const { email } = await freshUser()
        const me = await signIn(baton, email)
        const laptop = await signIn(baton, email)
        const response = await call(baton, 'DELETE', `/api/auth/sessions/${laptop.body.session.id}`, { jar: me.jar })
        expect(response.status).toBe(200)
        expect(await response.json()).toEqual({ ok: true, current: false })
        expect(response.headers.getSetCookie()).toEqual([])
        expect(await isLive(baton, laptop.body.session.id)).toBe(false)
        expect(await isLive(baton, me.body.session.id)).toBe(true)
        await expectError(
          await call(baton, 'POST', '/api/auth/refresh', { jar: { refresh: laptop.jar.refresh } }),
          401,
          'ERR_SESSION_REVOKED',
        )
        // Twice is 404: it is no longer a live session of mine.
        await expectError(
          await call(baton, 'DELETE', `/api/auth/sessions/${laptop.body.session.id}`, { jar: me.jar }),
          404,
          'ERR_NOT_FOUND',
        )
      })

      it("another user's session → 404, and it stays live", async () => {
        const { baton } = await quickBaton(store())
        const mallory = await freshUser('mallory')
        const alice = await freshUser('alice')
        const m = await signIn(baton, mallory.email)
        const a = await signIn(baton, alice.email)
        const response = await call(baton, 'DELETE', `/api/auth/sessions/${a.body.session.id}`, { jar: m.jar })
        const error = await expectError(response, 404, 'ERR_NOT_FOUND')
        expect(error.message).toBe('No such session.')
        expect(await isLive(baton, a.body.session.id)).toBe(true)
        // Same answer as an id that does not exist at all.
        const missing = await call(baton, 'DELETE', '/api/auth/sessions/doesnotexist', { jar: m.jar })
        expect((await expectError(missing, 404, 'ERR_NOT_FOUND')).message).toBe(error.message)
      })

      it('the current session → 200 current:true, cookies cleared, session revoked', async () => {
        const { baton } = await quickBaton(store())
        const { email } = await freshUser()
        const me = await signIn(baton, email)
        const response = await call(baton, 'DELETE', `/api/auth/sessions/${me.body.session.id}`, { jar: me.jar })
        expect(response.status).toBe(200)
        expect(await response.json()).toEqual({ ok: true, current: true })
        expectClearedCookies(response)
        expect(await isLive(baton, me.body.session.id)).toBe(false)
      })

      it.each([
        ['a dot', 'a.b'],
        ['65 characters', 'a'.repeat(65)],
        ['an encoded NUL', '%00'],
        ['an encoded slash', 'abc%2Fdef'],
        ['dot-dot', '%2E%2E'],
        ['a broken escape', '%E0%A4%A'],
        ['SQL', "'%20OR%201=1--"],
        ['unicode', '%F0%9F%A6%84'],
        ['__proto__', '__proto__'],
        ['constructor', 'constructor'],
      ])('a malformed or unknown id (%s) → 404', async (_, id) => {
        const { baton } = await quickBaton(store())
        const { email } = await freshUser()
        const me = await signIn(baton, email)
        await expectError(
          await call(baton, 'DELETE', `/api/auth/sessions/${id}`, { jar: me.jar }),
          404,
          'ERR_NOT_FOUND',
        )
        expect(await isLive(baton, me.body.session.id)).toBe(true)
      })

      it('needs a session: 401 without one (before looking at the id)', async () => {
        const { baton } = await quickBaton(store())
        await expectError(await call(baton, 'DELETE', '/api/auth/sessions/whatever'), 401, 'ERR_UNAUTHENTICATED')
        await expectError(await call(baton, 'DELETE', '/api/auth/sessions/a.b'), 401, 'ERR_UNAUTHENTICATED')
      })

      it.each([
        [{ origin: 'https://evil.test' }],
        [{ origin: 'null' }],
        [{ origin: 'https://app.test.evil.test' }],
        [{ 'sec-fetch-site': 'cross-site' }],
        [{ 'sec-fetch-site': 'same-site' }],
      ])('refuses a cross-site request %j with 403 ERR_CSRF', async (headers) => {
        const { baton } = await quickBaton(store())
        const { email } = await freshUser()
        const me = await signIn(baton, email)
        const h = new Headers(headers)
        h.set('cookie', cookieHeader({ [baton.cookieNames.access]: me.jar.access }))
        const response = await baton.handlers.DELETE(
          new Request(new URL(`/api/auth/sessions/${me.body.session.id}`, ORIGIN), { method: 'DELETE', headers: h }),
        )
        await expectError(response, 403, 'ERR_CSRF')
        expect(response.headers.getSetCookie()).toEqual([])
        expect(await isLive(baton, me.body.session.id)).toBe(true)
      })

      it('admits same-origin, Sec-Fetch-Site: same-origin and an https Origin behind a proxy', async () => {
        const { baton } = await quickBaton(store())
        const { email } = await freshUser()
        const me = await signIn(baton, email)
        const variants: Record<string, string>[] = [
          { origin: ORIGIN },
          { 'sec-fetch-site': 'same-origin' },
          { origin: 'https://app.test' },
        ]
        for (const headers of variants) {
          const other = await signIn(baton, email)
          const h = new Headers(headers)
          h.set('cookie', cookieHeader({ [baton.cookieNames.access]: me.jar.access }))
          const response = await baton.handlers.DELETE(
            new Request(new URL(`/api/auth/sessions/${other.body.session.id}`, ORIGIN), {
              method: 'DELETE',
              headers: h,
            }),
          )
          expect(response.status).toBe(200)
        }
      })
    })

    describe('POST /logout', () => {
      it("revokes the cookie's session only and clears the cookies", async () => {
        const { baton } = await quickBaton(store())
        const { email } = await freshUser()
        const a = await signIn(baton, email)
        const b = await signIn(baton, email)
        const response = await call(baton, 'POST', '/api/auth/logout', { jar: a.jar })
        expect(response.status).toBe(200)
        expect(response.headers.get('cache-control')).toBe('no-store')
        expect(await response.json()).toEqual({ ok: true, revoked: 1 })
        expectClearedCookies(response)
        expect(await isLive(baton, a.body.session.id)).toBe(false)
        expect(await isLive(baton, b.body.session.id)).toBe(true)
      })

      it('{ everywhere: true } revokes every session of the user, and only theirs', async () => {
        const { baton } = await quickBaton(store())
        const { email, id } = await freshUser()
        const bystander = await freshUser()
        const a = await signIn(baton, email)
        await signIn(baton, email)
        await signIn(baton, email)
        const other = await signIn(baton, bystander.email)
        const response = await call(baton, 'POST', '/api/auth/logout', {
          jar: a.jar,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ everywhere: true }),
        })
        expect(response.status).toBe(200)
        expect(await response.json()).toEqual({ ok: true, revoked: 3 })
        expectClearedCookies(response)
        expect(await baton.engine.listSessions({ subject: id })).toEqual([])
        expect(await isLive(baton, other.body.session.id)).toBe(true)
      })

      it('{ everywhere: false } and an empty JSON body act like a plain logout', async () => {
        const { baton } = await quickBaton(store())
        const { email, id } = await freshUser()
        await signIn(baton, email)
        for (const body of [JSON.stringify({ everywhere: false }), '', '  ', '{}']) {
          const { jar } = await signIn(baton, email)
          const response = await call(baton, 'POST', '/api/auth/logout', {
            jar,
            headers: { 'content-type': 'application/json' },
            body,
          })
          expect(response.status).toBe(200)
          expect(await response.json()).toEqual({ ok: true, revoked: 1 })
        }
        expect(await baton.engine.listSessions({ subject: id })).toHaveLength(1)
      })

      it('falls back to the access token when the refresh cookie is missing or garbage', async () => {
        const { baton } = await quickBaton(store())
        const { email } = await freshUser()
        const a = await signIn(baton, email)
        const b = await signIn(baton, email)
        expect(await (await call(baton, 'POST', '/api/auth/logout', { jar: { access: a.jar.access } })).json()).toEqual(
          { ok: true, revoked: 1 },
        )
        expect(await isLive(baton, a.body.session.id)).toBe(false)
        const garbage = await call(baton, 'POST', '/api/auth/logout', {
          jar: { access: b.jar.access, refresh: 'garbage' },
        })
        expect(await garbage.json()).toEqual({ ok: true, revoked: 1 })
        expect(await isLive(baton, b.body.session.id)).toBe(false)
      })

      it('without any session: 200, revoked 0, cookies cleared anyway', async () => {
        const { baton } = await quickBaton(store())
        for (const jar of [{}, { refresh: 'garbage', access: 'garbage' }, { refresh: `brt_${'B'.repeat(43)}` }]) {
          const response = await call(baton, 'POST', '/api/auth/logout', { jar })
          expect(response.status).toBe(200)
          expect(await response.json()).toEqual({ ok: true, revoked: 0 })
          expectClearedCookies(response)
        }
      })

      it("a revoked session's old cookie cannot sign the user out everywhere", async () => {
        const { baton } = await quickBaton(store())
        const { email, id } = await freshUser()
        const stolen = await signIn(baton, email)
        // The session is revoked (e.g. from the device list) but the old cookies are still around.
        const phone = await signIn(baton, email)
        await call(baton, 'DELETE', `/api/auth/sessions/${stolen.body.session.id}`, { jar: phone.jar })
        for (const jar of [{ refresh: stolen.jar.refresh }, { access: stolen.jar.access }]) {
          const response = await call(baton, 'POST', '/api/auth/logout', {
            jar,
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ everywhere: true }),
          })
          expect(response.status).toBe(200)
          expect(await response.json()).toEqual({ ok: true, revoked: 0 })
          expectClearedCookies(response)
        }
        expect((await baton.engine.listSessions({ subject: id })).map((s) => s.id)).toEqual([phone.body.session.id])
      })

      it("an expired session's cookie cannot sign the user out everywhere either", async () => {
        const { baton, clock } = await quickBaton(store(), { refreshTokenTtl: 3600 })
        const { email, id } = await freshUser()
        const old = await signIn(baton, email)
        clock.advance(3_600_001)
        const fresh = await signIn(baton, email)
        const response = await call(baton, 'POST', '/api/auth/logout', {
          jar: { refresh: old.jar.refresh },
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ everywhere: true }),
        })
        expect(response.status).toBe(200)
        expect((await baton.engine.listSessions({ subject: id })).map((s) => s.id)).toEqual([fresh.body.session.id])
      })

      it.each([
        ['a string everywhere', 'application/json', '{"everywhere":"yes"}', 400, 'ERR_BAD_REQUEST'],
        ['a numeric everywhere', 'application/json', '{"everywhere":1}', 400, 'ERR_BAD_REQUEST'],
        ['a null everywhere', 'application/json', '{"everywhere":null}', 400, 'ERR_BAD_REQUEST'],
        ['malformed JSON', 'application/json', '{"everywhere":', 400, 'ERR_BAD_REQUEST'],
        ['a JSON array', 'application/json', '[true]', 400, 'ERR_BAD_REQUEST'],
        ['JSON null', 'application/json', 'null', 400, 'ERR_BAD_REQUEST'],
        ['a form body', 'application/x-www-form-urlencoded', 'everywhere=true', 415, 'ERR_UNSUPPORTED_MEDIA_TYPE'],
        ['text/plain', 'text/plain', '{"everywhere":true}', 415, 'ERR_UNSUPPORTED_MEDIA_TYPE'],
        [
          'a 2 MB body',
          'application/json',
          `{"everywhere":true,"x":"${'x'.repeat(2 * 1024 * 1024)}"}`,
          413,
          'ERR_PAYLOAD_TOO_LARGE',
        ],
      ])('%s → %i, and the session survives', async (_, type, body, status, code) => {
        const { baton } = await quickBaton(store())
        const { email } = await freshUser()
        const me = await signIn(baton, email)
        const response = await call(baton, 'POST', '/api/auth/logout', {
          jar: me.jar,
          headers: { 'content-type': type },
          body,
        })
        await expectError(response, status, code)
        expect(response.headers.getSetCookie()).toEqual([])
        expect(await isLive(baton, me.body.session.id)).toBe(true)
      })

      it('a chunked body without content type or length is not read', async () => {
        const { baton } = await quickBaton(store())
        const { email } = await freshUser()
        const me = await signIn(baton, email)
        let pulled = 0
        const stream = new ReadableStream<Uint8Array>({
          pull(controller) {
            pulled += 1024
            controller.enqueue(new Uint8Array(1024))
            if (pulled > 4 * 1024 * 1024) controller.close()
          },
        })
        const response = await baton.handlers.POST(
          new Request(new URL('/api/auth/logout', ORIGIN), {
            method: 'POST',
            headers: { origin: ORIGIN, cookie: cookieHeader({ [baton.cookieNames.refresh]: me.jar.refresh }) },
            body: stream,
            duplex: 'half',
          } as RequestInit),
        )
        expect(response.status).toBe(200)
        expect(pulled).toBeLessThan(64 * 1024)
      })

      it.each([
        [{ origin: 'https://evil.test' }],
        [{ origin: 'null' }],
        [{ 'sec-fetch-site': 'cross-site' }],
        [{ 'sec-fetch-site': 'same-site' }],
      ])('refuses a cross-site logout %j with 403 ERR_CSRF, cookies kept, session live', async (headers) => {
        const { baton } = await quickBaton(store())
        const { email } = await freshUser()
        const me = await signIn(baton, email)
        const h = new Headers(headers)
        h.set(
          'cookie',
          cookieHeader({ [baton.cookieNames.refresh]: me.jar.refresh, [baton.cookieNames.access]: me.jar.access }),
        )
        const response = await baton.handlers.POST(
          new Request(new URL('/api/auth/logout', ORIGIN), { method: 'POST', headers: h }),
        )
        await expectError(response, 403, 'ERR_CSRF')
        expect(response.headers.getSetCookie()).toEqual([])
        expect(await isLive(baton, me.body.session.id)).toBe(true)
      })

      it('a store failure during logout answers 503 and keeps the cookies', async () => {
        const { baton } = await quickBaton(store())
        const { email } = await freshUser()
        const me = await signIn(baton, email)
        const spy = vi.spyOn(store(), 'revokeSession').mockRejectedValueOnce(new Error('disk I/O error'))
        const response = await call(baton, 'POST', '/api/auth/logout', { jar: me.jar })
        await expectError(response, 503, 'ERR_STORE_UNAVAILABLE')
        expect(response.headers.getSetCookie()).toEqual([])
        spy.mockRestore()
        expect(await isLive(baton, me.body.session.id)).toBe(true)
      })
    })
  })
}
