import type { SessionRecord, SessionStore } from '@baton/core'
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { openSqliteFile, type SqlBackend, signedIn } from '../proxy/sql-backends.fixture.js'
import { testBaton } from '../test-app.fixture.js'
import { enterRequest, responseCookies, scope } from './request-scope.fixture.js'

vi.mock('next/headers', async () => (await import('./request-scope.fixture.js')).nextHeaders)
vi.mock('next/navigation', async () => (await import('./request-scope.fixture.js')).nextNavigation)

const AT = '__Host-baton.at'
const RT = '__Host-baton.rt'

let backend: SqlBackend
beforeAll(() => {
  backend = openSqliteFile()
})
afterAll(async () => backend.close())
beforeEach(() => {
  enterRequest({ host: 'app.test', origin: 'http://app.test' })
})

/** A Baton whose `claims` look the user's role up asynchronously, as an app's database would. */
async function setup(store: SessionStore = backend.store) {
  const roles = new Map([['user-ada', 'reader']])
  const { baton, clock } = await testBaton(store, {
    claims: async (session: SessionRecord) => {
      await new Promise((resolve) => setTimeout(resolve, 1))
      return { user: session.user, role: roles.get(session.subject) ?? null }
    },
  })
  return { baton, clock, roles }
}

describe('baton.updateSession()', () => {
  it('in a server action: sets a new access cookie with the new claims and leaves the refresh cookie valid', async () => {
    const { baton, clock, roles } = await setup()
    const s = await signedIn(baton)
    expect((await baton.engine.verifyAccessToken(s.access)).claims.role).toBe('reader')
    roles.set('user-ada', 'admin')
    clock.advance(60_000)
    enterRequest({ host: 'app.test', origin: 'http://app.test', cookie: s.cookie() })

    const session = await baton.updateSession()

    expect(session).toMatchObject({ subject: 'user-ada', sessionId: s.issued.session.id })
    expect(session?.user).toEqual({ id: 'user-ada', email: 'ada@example.com', name: 'Ada' })
    const lines = responseCookies()
    expect(Object.keys(lines)).toEqual([AT])
    expect(lines[AT]?.split('; ')).toEqual(expect.arrayContaining(['Path=/', 'Secure', 'HttpOnly']))
    const cookie = scope.jar.get(AT)
    expect(cookie?.value).toBe(session?.accessToken)
    expect(cookie?.value).not.toBe(s.access)
    const verified = await baton.engine.verifyAccessToken(cookie?.value, { strict: true })
    expect(verified.claims.role).toBe('admin')
    expect(verified.expiresAt).toBe(session?.expiresAt)
    expectEndsWith(cookie?.expires, verified.expiresAt)
    // The refresh cookie the browser still holds rotates normally (no reuse, same session).
    const refreshed = await baton.engine.refresh({ refreshToken: s.refresh })
    expect(refreshed.graced).toBe(false)
    expect(refreshed.session.id).toBe(s.issued.session.id)
  })

  it('signed out: null, and no cookie is set', async () => {
    const { baton, clock } = await setup()
    expect(await baton.updateSession()).toBeNull()
    expect(scope.responseHeaders.getSetCookie()).toEqual([])

    const s = await signedIn(baton)
    clock.advance(16 * 60_000)
    enterRequest({ host: 'app.test', cookie: s.cookie() })
    expect(await baton.updateSession()).toBeNull()
    expect(scope.responseHeaders.getSetCookie()).toEqual([])
  })

  it('a revoked session: null, and both cookies are cleared', async () => {
    const { baton } = await setup()
    const s = await signedIn(baton)
    await baton.engine.revokeSession({ sessionId: s.issued.session.id })
    enterRequest({ host: 'app.test', cookie: s.cookie() })
    expect(await baton.updateSession()).toBeNull()
    const lines = responseCookies()
    expect(Object.keys(lines).sort()).toEqual([AT, RT])
    for (const name of [AT, RT]) expect(lines[name]?.split('; ')).toContain('Max-Age=0')
  })

  it('with a Bearer token: returns the new token and sets no cookie', async () => {
    const { baton, roles } = await setup()
    const s = await signedIn(baton)
    roles.set('user-ada', 'admin')
    enterRequest({ host: 'app.test', authorization: `Bearer ${s.access}` })
    const session = await baton.updateSession()
    expect((await baton.engine.verifyAccessToken(session?.accessToken)).claims.role).toBe('admin')
    expect(scope.responseHeaders.getSetCookie()).toEqual([])
  })
})

/** A cookie ends with its token: in the last second before it (Max-Age counts whole seconds), never after. */
function expectEndsWith(expires: Date | number | undefined, tokenExpiresAt: number): void {
  const at = expires === undefined ? Number.NaN : new Date(expires).getTime()
  expect(at).toBeLessThanOrEqual(tokenExpiresAt)
  expect(at).toBeGreaterThan(tokenExpiresAt - 1000)
}
