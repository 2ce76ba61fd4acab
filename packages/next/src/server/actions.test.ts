import { sha256 } from '@baton/core/internal'
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import type { BatonOptions, Credentials } from '../index.js'
import { openSqliteFile, type SqlBackend, signedIn } from '../proxy/sql-backends.fixture.js'
import { testBaton } from '../test-app.fixture.js'
import { enterRequest, Redirect, responseCookies, scope } from './request-scope.fixture.js'

vi.mock('next/headers', async () => (await import('./request-scope.fixture.js')).nextHeaders)
vi.mock('next/navigation', async () => (await import('./request-scope.fixture.js')).nextNavigation)

const AT = '__Host-baton.at'
const RT = '__Host-baton.rt'
const ADA = { id: 'user-ada', email: 'ada@example.com', name: 'Ada' }

let backend: SqlBackend
beforeAll(() => {
  backend = openSqliteFile()
})
afterAll(async () => backend.close())
beforeEach(() => {
  enterRequest({ host: 'app.test', origin: 'http://app.test' })
  vi.restoreAllMocks()
})

/** A Baton whose `authenticate` records what it was given (and skips password hashing). */
async function setup(overrides: Partial<BatonOptions> = {}) {
  const seen: Credentials[] = []
  const result = await testBaton(backend.store, {
    async authenticate(credentials: Credentials) {
      seen.push(credentials)
      return credentials.email === ADA.email && credentials.password === 'right' ? ADA : null
    },
    ...overrides,
  })
  return { ...result, seen }
}

function form(fields: Record<string, string>): FormData {
  const data = new FormData()
  for (const [k, v] of Object.entries(fields)) data.append(k, v)
  return data
}

async function outcome<T>(fn: () => Promise<T>): Promise<{ value?: T; redirect?: string }> {
  try {
    return { value: await fn() }
  } catch (error) {
    if (error instanceof Redirect) return { redirect: error.url }
    throw error
  }
}

/** Attributes every session cookie carries, `__Host-` requirements included. */
function expectCookieAttributes(line: string | undefined): void {
  expect(line).toBeDefined()
  const attributes = (line as string).split('; ').slice(1)
  expect(attributes).toContain('Path=/')
  expect(attributes).toContain('Secure')
  expect(attributes).toContain('HttpOnly')
  expect(attributes.map((a) => a.toLowerCase())).toContain('samesite=lax')
  expect(attributes.some((a) => a.toLowerCase().startsWith('domain='))).toBe(false)
}

describe('actions.signIn', () => {
  it('signs in from FormData, ignoring $ACTION_* fields, and sets both cookies', async () => {
    const { baton, seen } = await setup()
    const data = form({
      $ACTION_ID_7f3a: '',
      $ACTION_REF_1: '',
      '$ACTION_1:0': '{"id":"x"}',
      $ACTION_KEY: 'k',
      email: 'ada@example.com',
      password: 'right',
      next: '/dashboard',
    })
    data.append('avatar', new Blob(['x']), 'a.png')
    const result = await outcome(() => baton.actions.signIn(data))
    expect(result.value).toEqual({ ok: true, user: ADA })
    expect(seen).toEqual([{ email: 'ada@example.com', password: 'right' }])

    const lines = responseCookies()
    expect(Object.keys(lines).sort()).toEqual([AT, RT])
    expectCookieAttributes(lines[AT])
    expectCookieAttributes(lines[RT])
    const access = scope.jar.get(AT)?.value as string
    const refresh = scope.jar.get(RT)?.value as string
    const verified = await baton.engine.verifyAccessToken(access)
    expect(verified.user).toEqual(ADA)
    // The cookies expire with their tokens.
    expectEndsWith(scope.jar.get(AT)?.expires, verified.expiresAt)
    const stored = await backend.store.findRefreshToken(await sha256(refresh))
    expect(stored?.session.id).toBe(verified.sessionId)
    expectEndsWith(scope.jar.get(RT)?.expires, stored?.token.expiresAt ?? 0)
  })

  it('accepts a plain object of credentials too', async () => {
    const { baton, seen } = await setup()
    expect((await baton.actions.signIn({ email: 'ada@example.com', password: 'right' })).ok).toBe(true)
    expect(seen).toHaveLength(1)
  })

  it('redirects to redirectTo only when it is a safe relative path', async () => {
    const { baton } = await setup()
    const ok = await outcome(() =>
      baton.actions.signIn(form({ email: 'ada@example.com', password: 'right' }), { redirectTo: '/dashboard?x=1' }),
    )
    expect(ok.redirect).toBe('/dashboard?x=1')
    for (const redirectTo of ['//evil.com', '/\\evil.com', 'https://evil.com', 'javascript:alert(1)', null, 42]) {
      enterRequest({ host: 'app.test' })
      const result = await outcome(() =>
        baton.actions.signIn(form({ email: 'ada@example.com', password: 'right' }), { redirectTo }),
      )
      expect(result, String(redirectTo)).toEqual({ value: { ok: true, user: ADA } })
      expect(Object.keys(responseCookies())).toHaveLength(2)
    }
  })

  it('answers wrong credentials with ERR_INVALID_CREDENTIALS, no cookies and no redirect', async () => {
    const { baton } = await setup()
    for (const fields of [
      { email: 'ada@example.com', password: 'wrong' },
      { email: 'nobody@example.com', password: 'right' },
    ]) {
      const result = await outcome(() => baton.actions.signIn(form(fields), { redirectTo: '/dashboard' }))
      expect(result.value).toEqual({
        ok: false,
        error: { code: 'ERR_INVALID_CREDENTIALS', message: 'The email or password is incorrect.' },
      })
      expect(scope.responseHeaders.getSetCookie()).toEqual([])
    }
    const missing = await baton.actions.signIn(form({ password: 'right' }))
    expect(missing).toMatchObject({ ok: false, error: { code: 'ERR_BAD_REQUEST' } })
  })

  it('reports the rate limit with retryAfter', async () => {
    const { baton } = await setup({ rateLimit: { limit: 3, window: 60 } })
    enterRequest({ host: 'app.test', 'x-forwarded-for': '203.0.113.9' })
    for (let i = 0; i < 3; i++) {
      expect((await baton.actions.signIn(form({ email: 'ada@example.com', password: 'wrong' }))).ok).toBe(false)
    }
    const limited = await baton.actions.signIn(form({ email: 'ada@example.com', password: 'right' }))
    expect(limited).toEqual({
      ok: false,
      error: { code: 'ERR_RATE_LIMITED', message: expect.any(String), retryAfter: 60 },
    })
    expect(scope.responseHeaders.getSetCookie()).toEqual([])
  })

  it('answers a failing authenticate with a generic ERR_INTERNAL, leaking nothing', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    const { baton } = await setup({
      async authenticate() {
        throw new Error('password=hunter2 connection to users-db failed')
      },
    })
    const result = await baton.actions.signIn(form({ email: 'ada@example.com', password: 'x' }))
    expect(result).toEqual({
      ok: false,
      error: { code: 'ERR_INTERNAL', message: 'Sign-in is unavailable right now. Try again.' },
    })
    expect(JSON.stringify(result)).not.toContain('hunter2')
    expect(errors).toHaveBeenCalled()
  })
})

describe('actions.signOut', () => {
  it('revokes the session and deletes both cookies with the attributes they were set with', async () => {
    const { baton } = await setup()
    const s = await signedIn(baton)
    enterRequest({ host: 'app.test', cookie: s.cookie() })
    const result = await outcome(() => baton.actions.signOut({ redirectTo: '/login' }))
    expect(result.redirect).toBe('/login')
    expect((await backend.store.getSession(s.issued.session.id))?.revokedAt).not.toBeNull()
    const lines = responseCookies()
    expect(Object.keys(lines).sort()).toEqual([AT, RT])
    for (const name of [AT, RT]) {
      expect(lines[name]).toMatch(new RegExp(`^${name.replace('.', '\\.')}=;`))
      expect(lines[name]?.split('; ')).toContain('Max-Age=0')
      expectCookieAttributes(lines[name])
    }
  })

  it('signs out by the access cookie when there is no refresh cookie, and everywhere on request', async () => {
    const { baton } = await setup()
    const s = await signedIn(baton)
    const other = await signedIn(baton)
    enterRequest({ host: 'app.test', cookie: s.cookie({}, { refresh: false }) })
    const live = (await baton.engine.listSessions({ subject: 'user-ada' })).length
    expect(live).toBeGreaterThanOrEqual(2)
    expect(await baton.actions.signOut({ everywhere: true, redirectTo: 'https://evil.com' })).toEqual({ revoked: live })
    expect(await baton.engine.listSessions({ subject: 'user-ada' })).toEqual([])
    expect((await backend.store.getSession(s.issued.session.id))?.revokedAt).not.toBeNull()
    expect((await backend.store.getSession(other.issued.session.id))?.revokedAt).not.toBeNull()
  })

  it('clears the cookies even when there is no session to revoke', async () => {
    const { baton } = await setup()
    enterRequest({ host: 'app.test', cookie: `${RT}=brt_${'x'.repeat(43)}` })
    expect(await baton.actions.signOut()).toEqual({ revoked: 0 })
    expect(Object.keys(responseCookies()).sort()).toEqual([AT, RT])
  })
})

/** A cookie ends with its token: in the last second before it (Max-Age counts whole seconds), never after. */
function expectEndsWith(expires: Date | number | undefined, tokenExpiresAt: number): void {
  const at = expires === undefined ? Number.NaN : new Date(expires).getTime()
  expect(at).toBeLessThanOrEqual(tokenExpiresAt)
  expect(at).toBeGreaterThan(tokenExpiresAt - 1000)
}
