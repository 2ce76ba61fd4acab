import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Baton } from '../create-baton.js'
import { ORIGIN, request, setCookies } from '../test-app.fixture.js'
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

const CLEARED =
  /^__Host-baton\.(at|rt)=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=\/; HttpOnly; SameSite=Lax; Secure$/

function refresh(baton: Baton, cookie: string | null, headers: Record<string, string> = {}): Promise<Response> {
  const h = new Headers({ origin: ORIGIN, ...headers })
  if (cookie !== null) h.set('cookie', cookie)
  return baton.handlers.POST(new Request(new URL('/api/auth/refresh', ORIGIN), { method: 'POST', headers: h }))
}

function expectCleared(response: Response): void {
  const lines = response.headers.getSetCookie()
  expect(lines).toHaveLength(2)
  for (const line of lines) expect(line).toMatch(CLEARED)
  expect(Object.keys(setCookies(response)).sort()).toEqual(['__Host-baton.at', '__Host-baton.rt'])
}

function rt(baton: Baton, jar: Jar | string): string {
  return cookieHeader({ [baton.cookieNames.refresh]: typeof jar === 'string' ? jar : jar.refresh })
}

afterEach(() => {
  vi.restoreAllMocks()
})

for (const backend of routeBackends) {
  describe(`POST /refresh on ${backend.name}`, () => {
    const store = useBackend(backend)

    it('rotates: 200 with a new token pair in hardened cookies, no-store', async () => {
      const { baton, clock } = await quickBaton(store())
      const { email, id } = await freshUser()
      const { jar, body: first } = await signIn(baton, email)
      clock.advance(5_000)
      const response = await refresh(baton, rt(baton, jar))
      expect(response.status).toBe(200)
      expect(response.headers.get('cache-control')).toBe('no-store')
      const body = await response.json()
      expect(Object.keys(body).sort()).toEqual(['accessToken', 'accessTokenExpiresAt', 'session', 'user'])
      expect(body.user).toEqual(first.user)
      expect(body.session).toMatchObject({ id: first.session.id, current: true })
      const next = setCookies(response)
      expect(next[baton.cookieNames.refresh]).toMatch(/^brt_/)
      expect(next[baton.cookieNames.refresh]).not.toBe(jar.refresh)
      expect(next[baton.cookieNames.access]).toBe(body.accessToken)
      for (const line of response.headers.getSetCookie())
        expect(line).toMatch(/; Path=\/; HttpOnly; SameSite=Lax; Secure$/)
      expect((await baton.engine.verifyAccessToken(body.accessToken)).subject).toBe(id)
    })

    it('ignores whatever body or content type comes with it', async () => {
      const { baton } = await quickBaton(store())
      const { email } = await freshUser()
      const { jar } = await signIn(baton, email)
      const response = await baton.handlers.POST(
        new Request(new URL('/api/auth/refresh', ORIGIN), {
          method: 'POST',
          headers: { origin: ORIGIN, cookie: rt(baton, jar), 'content-type': 'text/plain' },
          body: 'x'.repeat(100_000),
        }),
      )
      expect(response.status).toBe(200)
    })

    describe('missing or unusable cookie', () => {
      it('no cookie → 401 ERR_REFRESH_TOKEN_MISSING, cookies cleared', async () => {
        const { baton } = await quickBaton(store())
        for (const cookie of [null, '', 'theme=dark', '__Host-baton.rt=', '__Host-baton.rt']) {
          const response = await refresh(baton, cookie)
          expectCleared(response)
          await expectError(response, 401, 'ERR_REFRESH_TOKEN_MISSING')
        }
      })

      it('an unprefixed twin never satisfies the __Host- name, and is not rotated', async () => {
        const { baton } = await quickBaton(store())
        const { email } = await freshUser()
        const { jar } = await signIn(baton, email)
        for (const cookie of [
          `baton.rt=${jar.refresh}`,
          `__host-baton.rt=${jar.refresh}`,
          `__Secure-baton.rt=${jar.refresh}`,
          ` x__Host-baton.rt=${jar.refresh}`,
        ]) {
          await expectError(await refresh(baton, cookie), 401, 'ERR_REFRESH_TOKEN_MISSING')
        }
        expect((await refresh(baton, rt(baton, jar))).status).toBe(200)
      })

      it.each([
        ['garbage', 'garbage'],
        ['a well-formed unknown token', `brt_${'A'.repeat(43)}`],
        ['the wrong prefix', `xyz_${'A'.repeat(43)}`],
        ['an access token', 'eyJhbGciOiJIUzI1NiJ9.e30.sig'],
        ['a very long token', `brt_${'A'.repeat(8000)}`],
        ['a quoted garbage value', '"garbage"'],
      ])('%s → 401 ERR_REFRESH_TOKEN_INVALID, cookies cleared', async (_, value) => {
        const { baton } = await quickBaton(store())
        const response = await refresh(baton, `__Host-baton.rt=${value}`)
        expectCleared(response)
        await expectError(response, 401, 'ERR_REFRESH_TOKEN_INVALID')
      })

      it.each([
        ['SQL', "' OR 1=1 --"],
        ['percent-encoded NUL', '%00'],
        ['spaces', 'brt_a b'],
        ['unicode', 'brt_é'],
        ['over 8 KiB', `brt_${'A'.repeat(9000)}`],
      ])('a value with %s reads as absent → ERR_REFRESH_TOKEN_MISSING', async (_, value) => {
        const { baton } = await quickBaton(store())
        const response = await refresh(baton, `__Host-baton.rt=${value}`)
        expectCleared(response)
        await expectError(response, 401, 'ERR_REFRESH_TOKEN_MISSING')
      })

      it('a quoted valid token is accepted', async () => {
        const { baton } = await quickBaton(store())
        const { email } = await freshUser()
        const { jar } = await signIn(baton, email)
        expect((await refresh(baton, `__Host-baton.rt="${jar.refresh}"`)).status).toBe(200)
      })

      it('with duplicates, the first cookie wins', async () => {
        const { baton } = await quickBaton(store())
        const { email } = await freshUser()
        const a = await signIn(baton, email)
        const b = await signIn(baton, email)
        const winner = await refresh(baton, `__Host-baton.rt=${a.jar.refresh}; __Host-baton.rt=${b.jar.refresh}`)
        expect((await winner.json()).session.id).toBe(a.body.session.id)
        await expectError(
          await refresh(baton, `__Host-baton.rt=garbage; __Host-baton.rt=${b.jar.refresh}`),
          401,
          'ERR_REFRESH_TOKEN_INVALID',
        )
        // b's token was never presented, so it still rotates.
        expect((await refresh(baton, rt(baton, b.jar))).status).toBe(200)
      })
    })

    describe('reuse and grace', () => {
      it('within the grace window the old token gets the same successor', async () => {
        const { baton, clock } = await quickBaton(store())
        const { email } = await freshUser()
        const { jar } = await signIn(baton, email)
        const first = await refresh(baton, rt(baton, jar))
        const successor = setCookies(first)[baton.cookieNames.refresh] as string
        clock.advance(9_000)
        const again = await refresh(baton, rt(baton, jar))
        expect(again.status).toBe(200)
        expect(setCookies(again)[baton.cookieNames.refresh]).toBe(successor)
        // The successor is live and rotates normally.
        const next = await refresh(baton, rt(baton, successor))
        expect(next.status).toBe(200)
        expect(setCookies(next)[baton.cookieNames.refresh]).not.toBe(successor)
      })

      it('parallel refreshes of one token all succeed with one successor', async () => {
        const { baton } = await quickBaton(store())
        const { email } = await freshUser()
        const { jar } = await signIn(baton, email)
        const responses = await Promise.all(Array.from({ length: 6 }, () => refresh(baton, rt(baton, jar))))
        expect(responses.map((r) => r.status)).toEqual(Array(6).fill(200))
        expect(new Set(responses.map((r) => setCookies(r)[baton.cookieNames.refresh])).size).toBe(1)
      })

      it('after the grace window: ERR_REFRESH_TOKEN_REUSED, cookies cleared, the session revoked', async () => {
        const { baton, clock } = await quickBaton(store())
        const { email, id } = await freshUser()
        const { jar, body } = await signIn(baton, email)
        const first = await refresh(baton, rt(baton, jar))
        const fresh = setCookies(first)
        clock.advance(10_001)
        const reused = await refresh(baton, rt(baton, jar))
        expectCleared(reused)
        await expectError(reused, 401, 'ERR_REFRESH_TOKEN_REUSED')
        expect((await store().getSession(body.session.id))?.revokeReason).toBe('refresh_token_reused')
        expect(await baton.engine.listSessions({ subject: id })).toEqual([])
        // The thief's (or the user's) successor is dead too, and so is the access token (strict check).
        const successor = await refresh(baton, rt(baton, fresh[baton.cookieNames.refresh] as string))
        expectCleared(successor)
        await expectError(successor, 401, 'ERR_SESSION_REVOKED')
        await expectError(
          await baton.handlers.GET(
            request('/api/auth/session', {
              cookies: { [baton.cookieNames.access]: fresh[baton.cookieNames.access] as string },
            }),
          ),
          401,
          'ERR_SESSION_REVOKED',
        )
      })

      it('a signed-out session → ERR_SESSION_REVOKED, cookies cleared', async () => {
        const { baton } = await quickBaton(store())
        const { email } = await freshUser()
        const { jar } = await signIn(baton, email)
        await baton.handlers.POST(
          request('/api/auth/logout', { method: 'POST', cookies: { [baton.cookieNames.refresh]: jar.refresh } }),
        )
        const response = await refresh(baton, rt(baton, jar))
        expectCleared(response)
        await expectError(response, 401, 'ERR_SESSION_REVOKED')
      })

      it('an idle-expired session → ERR_SESSION_EXPIRED, cookies cleared', async () => {
        const { baton, clock } = await quickBaton(store())
        const { email } = await freshUser()
        const { jar } = await signIn(baton, email)
        clock.advance(7 * 86_400_000 + 1)
        const response = await refresh(baton, rt(baton, jar))
        expectCleared(response)
        await expectError(response, 401, 'ERR_SESSION_EXPIRED')
      })

      it('checkRefresh refusing → ERR_REFRESH_DENIED, cookies cleared', async () => {
        const { baton } = await quickBaton(store(), {
          checkRefresh: ({ meta }: { meta: { userAgent?: string | null } }) => meta.userAgent === 'Same/1',
        })
        const { email } = await freshUser()
        const { jar } = await signIn(baton, email, { headers: { 'user-agent': 'Same/1' } })
        const response = await refresh(baton, rt(baton, jar), { 'user-agent': 'Other/2' })
        expectCleared(response)
        await expectError(response, 401, 'ERR_REFRESH_DENIED')
        expect((await refresh(baton, rt(baton, jar), { 'user-agent': 'Same/1' })).status).toBe(200)
      })
    })

    describe('store failures keep the cookies', () => {
      it.each([['rotateRefreshToken'], ['findRefreshToken']] as const)(
        '%s throwing → 503 ERR_STORE_UNAVAILABLE, no cookie cleared, token still valid afterwards',
        async (method) => {
          const { baton } = await quickBaton(store())
          const { email } = await freshUser()
          const { jar } = await signIn(baton, email)
          const spy = vi.spyOn(store(), method).mockRejectedValueOnce(new Error('could not serialize access: secret'))
          const response = await refresh(baton, rt(baton, jar))
          const text = await response.clone().text()
          await expectError(response, 503, 'ERR_STORE_UNAVAILABLE')
          expect(response.headers.getSetCookie()).toEqual([])
          expect(text).not.toContain('secret')
          expect(spy).toHaveBeenCalledTimes(1)
          spy.mockRestore()
          expect((await refresh(baton, rt(baton, jar))).status).toBe(200)
        },
      )

      it('a store that hangs up mid-rotation with a non-Error still answers 503', async () => {
        const { baton } = await quickBaton(store())
        const { email } = await freshUser()
        const { jar } = await signIn(baton, email)
        const spy = vi.spyOn(store(), 'rotateRefreshToken').mockImplementationOnce(() => {
          throw 'socket hang up'
        })
        const response = await refresh(baton, rt(baton, jar))
        await expectError(response, 503, 'ERR_STORE_UNAVAILABLE')
        expect(response.headers.getSetCookie()).toEqual([])
        spy.mockRestore()
      })
    })

    describe('CSRF (403 ERR_CSRF, nothing rotated, nothing cleared)', () => {
      it.each([
        [{ origin: 'https://evil.test' }],
        [{ origin: 'null' }],
        [{ origin: '', 'sec-fetch-site': 'cross-site' }],
        [{ origin: '', 'sec-fetch-site': 'same-site' }],
      ])('%j', async (headers) => {
        const { baton } = await quickBaton(store())
        const { email } = await freshUser()
        const { jar } = await signIn(baton, email)
        const h = new Headers({ cookie: rt(baton, jar), ...headers })
        if (headers.origin === '') h.delete('origin')
        const find = vi.spyOn(store(), 'findRefreshToken')
        const response = await baton.handlers.POST(
          new Request(new URL('/api/auth/refresh', ORIGIN), { method: 'POST', headers: h }),
        )
        await expectError(response, 403, 'ERR_CSRF')
        expect(response.headers.getSetCookie()).toEqual([])
        expect(find).not.toHaveBeenCalled()
        find.mockRestore()
        const ok = await refresh(baton, rt(baton, jar))
        expect(ok.status).toBe(200)
      })

      it('admits Sec-Fetch-Site: same-origin without Origin, an https Origin behind a proxy, and allowedOrigins', async () => {
        const { baton } = await quickBaton(store(), { allowedOrigins: ['https://m.app.test'] })
        const { email } = await freshUser()
        let { jar } = await signIn(baton, email)
        const variants: Record<string, string>[] = [
          { 'sec-fetch-site': 'same-origin' },
          { origin: 'https://app.test' },
          { origin: 'https://m.app.test' },
        ]
        for (const headers of variants) {
          const h = new Headers({ cookie: rt(baton, jar), ...headers })
          const response = await baton.handlers.POST(
            new Request(new URL('/api/auth/refresh', ORIGIN), { method: 'POST', headers: h }),
          )
          expect(response.status).toBe(200)
          const next = setCookies(response)
          jar = { access: next[baton.cookieNames.access] as string, refresh: next[baton.cookieNames.refresh] as string }
        }
      })
    })
  })
}
