import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { openSqliteFile, type SqlBackend, signedIn } from '../proxy/sql-backends.fixture.js'
import { testBaton } from '../test-app.fixture.js'
import { enterRequest, Redirect } from './request-scope.fixture.js'

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
  enterRequest()
  vi.restoreAllMocks()
})

/** Runs `fn` and returns where it redirected, or fails. */
async function redirectOf(fn: () => Promise<unknown>): Promise<string> {
  const error = await fn().then(
    () => null,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(Redirect)
  return (error as Redirect).url
}

describe('session()', () => {
  it('reads and verifies the access cookie of the current request', async () => {
    const { baton } = await testBaton(backend.store)
    const s = await signedIn(baton)
    enterRequest({ cookie: `theme=dark; ${AT}=${s.access}; ${RT}=${s.refresh}` })
    expect(await baton.session()).toEqual({
      user: { id: 'user-ada', email: 'ada@example.com', name: 'Ada' },
      subject: 'user-ada',
      sessionId: s.issued.session.id,
      expiresAt: s.issued.accessTokenExpiresAt,
      accessToken: s.access,
      claims: expect.objectContaining({ sub: 'user-ada', sid: s.issued.session.id, iss: 'baton' }),
    })
  })

  it('reads a Bearer header too', async () => {
    const { baton } = await testBaton(backend.store)
    const s = await signedIn(baton)
    enterRequest({ authorization: `Bearer ${s.access}` })
    expect((await baton.session())?.sessionId).toBe(s.issued.session.id)
  })

  it.each([['Basic YTpi'], ['Token abc'], ['Bearerabc'], ['']])(
    'ignores another Authorization scheme (%j) and reads the access cookie',
    async (authorization) => {
      const { baton } = await testBaton(backend.store)
      const s = await signedIn(baton)
      enterRequest({ authorization, cookie: `${AT}=${s.access}` })
      const found = await baton.session()
      expect(found?.sessionId).toBe(s.issued.session.id)
      expect(found?.accessToken).toBe(s.access)
      enterRequest({ authorization })
      expect(await baton.session()).toBeNull()
      expect(await redirectOf(() => baton.requireSession({ returnTo: '/devices' }))).toBe('/login?next=%2Fdevices')
    },
  )

  it('is null when the access token expired (it never refreshes), is forged, or is missing', async () => {
    const { baton, clock } = await testBaton(backend.store)
    const s = await signedIn(baton)
    enterRequest({ cookie: `${RT}=${s.refresh}` })
    expect(await baton.session()).toBeNull()
    enterRequest({ cookie: `${AT}=${s.access.slice(0, -2)}xx; ${RT}=${s.refresh}` })
    expect(await baton.session()).toBeNull()
    // A malformed Bearer header is refused, not rescued by the valid cookie beside it.
    enterRequest({ authorization: 'Bearer a b', cookie: `${AT}=${s.access}` })
    expect(await baton.session()).toBeNull()
    clock.advance(15 * 60_000 + 6_000)
    enterRequest({ cookie: `${AT}=${s.access}; ${RT}=${s.refresh}` })
    expect(await baton.session()).toBeNull()
    // And reading the session never rotated anything.
    expect(
      (await backend.store.findRefreshToken(await (await import('@baton/core/internal')).sha256(s.refresh)))?.token
        .usedAt,
    ).toBeNull()
  })

  it('ignores headers a proxy (or an attacker bypassing it) might set', async () => {
    const { baton } = await testBaton(backend.store)
    const s = await signedIn(baton)
    enterRequest({
      'x-baton-user': JSON.stringify({ id: 'user-ada' }),
      'x-baton-session': s.issued.session.id,
      'x-middleware-request-cookie': `${AT}=${s.access}`,
      'x-middleware-override-headers': 'cookie',
      'x-middleware-subrequest': 'proxy:proxy:proxy:proxy:proxy',
      'x-forwarded-user': 'user-ada',
      cookie: `baton.at=${s.access}`, // the unprefixed twin of a __Host- cookie
    })
    expect(await baton.session()).toBeNull()
  })

  it('with strict: true is null once the session is revoked, and throws (not null) when the store is down', async () => {
    const { baton } = await testBaton(backend.store, { revocationCacheTtl: 0 })
    const s = await signedIn(baton)
    enterRequest({ cookie: `${AT}=${s.access}` })
    expect(await baton.session({ strict: true })).not.toBeNull()
    vi.spyOn(backend.store, 'getSession').mockRejectedValueOnce(new Error('ECONNRESET'))
    await expect(baton.session({ strict: true })).rejects.toMatchObject({ code: 'ERR_STORE_UNAVAILABLE' })
    await baton.engine.signOut({ sessionId: s.issued.session.id })
    expect(await baton.session({ strict: true })).toBeNull()
    expect(await baton.session()).not.toBeNull()
  })
})

describe('requireSession()', () => {
  it('returns the session when there is one', async () => {
    const { baton } = await testBaton(backend.store)
    const s = await signedIn(baton)
    enterRequest({ cookie: `${AT}=${s.access}` })
    expect((await baton.requireSession({ returnTo: '/dashboard' })).subject).toBe('user-ada')
  })

  it('redirects to sign-in with ?next= for a safe return path', async () => {
    const { baton } = await testBaton(backend.store)
    expect(await redirectOf(() => baton.requireSession({ returnTo: '/dashboard?x=1' }))).toBe(
      '/login?next=%2Fdashboard%3Fx%3D1',
    )
    expect(await redirectOf(() => baton.requireSession())).toBe('/login')
    const custom = await testBaton(backend.store, { paths: { signIn: '/sign-in' } })
    expect(await redirectOf(() => custom.baton.requireSession({ returnTo: '/devices' }))).toBe(
      '/sign-in?next=%2Fdevices',
    )
  })

  it.each([
    ['protocol-relative', '//evil.com'],
    ['backslash', '/\\evil.com'],
    ['backslash-slash', '/\\/evil.com'],
    ['absolute', 'https://evil.com/'],
    ['javascript:', 'javascript:alert(1)'],
    ['tab', '/\t/evil.com'],
    ['over-long', `/${'a'.repeat(3000)}`],
  ])('drops an unsafe return path (%s)', async (_, returnTo) => {
    const { baton } = await testBaton(backend.store)
    expect(await redirectOf(() => baton.requireSession({ returnTo }))).toBe('/login')
  })
})
