import { createSessionEngine, MemorySessionStore } from '@baton/core'
import type { BatonSession } from '@baton/core/server'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { openSqliteFile, type SqlBackend, signedIn } from '../proxy/sql-backends.fixture.js'
import { ORIGIN, SECRET, testBaton } from '../test-app.fixture.js'
import { safeReturnPath } from './actions.js'

const AT = '__Host-baton.at'

/** The second argument Next.js passes a route handler of `app/api/items/[id]/route.ts`. */
type RouteContext = { params: Promise<{ id: string }> }

let backend: SqlBackend
beforeAll(() => {
  backend = openSqliteFile()
})
afterAll(async () => backend.close())

async function setup(overrides = {}) {
  const { baton, clock } = await testBaton(backend.store, overrides)
  const handler = vi.fn(async (_request: Request, context: RouteContext & { auth: BatonSession }) =>
    Response.json({ auth: context.auth, params: await context.params }, { headers: { 'x-handler': 'yes' } }),
  )
  const route = baton.withAuth<RouteContext>(handler)
  const call = (headers: Record<string, string>) =>
    route(new Request(`${ORIGIN}/api/items/42`, { headers }), { params: Promise.resolve({ id: '42' }) })
  return { baton, clock, handler, call }
}

async function expect401(response: Response, code: string, challenge: RegExp): Promise<void> {
  expect(response.status).toBe(401)
  expect(response.headers.get('content-type')).toContain('application/json')
  expect(response.headers.get('www-authenticate')).toMatch(challenge)
  expect((await response.json()).error.code).toBe(code)
}

const INVALID_TOKEN = /^Bearer error="invalid_token"/

describe('withAuth', () => {
  it('passes auth from the access cookie to the handler and keeps the route context', async () => {
    const { baton, call, handler } = await setup()
    const s = await signedIn(baton)
    const response = await call({ cookie: `theme=dark; ${AT}=${s.access}` })
    expect(response.status).toBe(200)
    expect(response.headers.get('x-handler')).toBe('yes')
    const body = await response.json()
    expect(body.params).toEqual({ id: '42' })
    expect(body.auth).toEqual({
      user: { id: 'user-ada', email: 'ada@example.com', name: 'Ada' },
      subject: 'user-ada',
      sessionId: s.issued.session.id,
      expiresAt: s.issued.accessTokenExpiresAt,
      accessToken: s.access,
      claims: expect.objectContaining({ sub: 'user-ada', sid: s.issued.session.id, iss: 'baton' }),
    })
    expect(handler).toHaveBeenCalledTimes(1)
  })

  it('accepts a Bearer header, which wins over the cookie', async () => {
    const { baton, call } = await setup()
    const cookieSession = await signedIn(baton)
    const bearerSession = await signedIn(baton)
    const response = await call({
      authorization: `Bearer ${bearerSession.access}`,
      cookie: `${AT}=${cookieSession.access}`,
    })
    expect(response.status).toBe(200)
    expect((await response.json()).auth.sessionId).toBe(bearerSession.issued.session.id)
    const lower = await call({ authorization: `bearer   ${bearerSession.access}` })
    expect(lower.status).toBe(200)
  })

  it('answers an expired token with 401 ERR_ACCESS_TOKEN_EXPIRED and an invalid_token challenge', async () => {
    const { baton, clock, call, handler } = await setup()
    const s = await signedIn(baton)
    clock.advance(15 * 60_000 + 6_000) // past exp and the 5 s tolerance
    await expect401(await call({ cookie: `${AT}=${s.access}` }), 'ERR_ACCESS_TOKEN_EXPIRED', INVALID_TOKEN)
    await expect401(await call({ authorization: `Bearer ${s.access}` }), 'ERR_ACCESS_TOKEN_EXPIRED', INVALID_TOKEN)
    expect(handler).not.toHaveBeenCalled()
  })

  it('answers a forged or tampered token with 401 ERR_ACCESS_TOKEN_INVALID', async () => {
    const { baton, call, handler } = await setup()
    const s = await signedIn(baton)
    const foreign = createSessionEngine({ store: new MemorySessionStore(), secret: `${SECRET}-x`, issuer: 'baton' })
    const forged = (await foreign.signIn({ subject: 'user-ada' })).accessToken
    const [h, p, sig] = s.access.split('.') as [string, string, string]
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString())
    const tampered = `${h}.${Buffer.from(JSON.stringify({ ...claims, sub: 'user-admin' })).toString('base64url')}.${sig}`
    for (const token of [forged, tampered, 'a.b.c']) {
      await expect401(await call({ cookie: `${AT}=${token}` }), 'ERR_ACCESS_TOKEN_INVALID', INVALID_TOKEN)
      await expect401(await call({ authorization: `Bearer ${token}` }), 'ERR_ACCESS_TOKEN_INVALID', INVALID_TOKEN)
    }
    // Over 8 KB: refused before parsing (a cookie that long is not read at all).
    await expect401(
      await call({ authorization: `Bearer ${'x'.repeat(9000)}` }),
      'ERR_ACCESS_TOKEN_INVALID',
      INVALID_TOKEN,
    )
    await expect401(await call({ cookie: `${AT}=${'x'.repeat(9000)}` }), 'ERR_UNAUTHENTICATED', /^Bearer realm/)
    expect(handler).not.toHaveBeenCalled()
  })

  it('answers a request without a token with 401 ERR_UNAUTHENTICATED', async () => {
    const { call, handler } = await setup()
    const cases: Record<string, string>[] = [
      {},
      { cookie: 'theme=dark; baton.at=unprefixed-twin' },
      { cookie: `${AT}=` },
    ]
    for (const headers of cases) {
      await expect401(await call(headers), 'ERR_UNAUTHENTICATED', /^Bearer realm="baton"/)
    }
    expect(handler).not.toHaveBeenCalled()
  })

  it('answers a malformed Bearer header with 401 ERR_ACCESS_TOKEN_INVALID, even beside a valid cookie', async () => {
    const { baton, call, handler } = await setup()
    const s = await signedIn(baton)
    for (const authorization of ['Bearer', 'bearer', 'Bearer ', `Bearer ${s.access} x`, 'Bearer a"b']) {
      const response = await call({ authorization, cookie: `${AT}=${s.access}` })
      await expect401(response, 'ERR_ACCESS_TOKEN_INVALID', INVALID_TOKEN)
    }
    expect(handler).not.toHaveBeenCalled()
  })

  it('ignores other Authorization schemes and values: the access cookie decides', async () => {
    const { baton, call, handler } = await setup()
    const s = await signedIn(baton)
    const others = ['Token abc', `Basic ${btoa('a:b')}`, 'Bearerabc', '']
    for (const authorization of others) {
      await expect401(await call({ authorization }), 'ERR_UNAUTHENTICATED', /^Bearer realm="baton"$/)
    }
    expect(handler).not.toHaveBeenCalled()
    for (const authorization of others) {
      const response = await call({ authorization, cookie: `${AT}=${s.access}` })
      expect(response.status, authorization).toBe(200)
      const body = await response.json()
      expect(body.auth.sessionId).toBe(s.issued.session.id)
      expect(body.auth.accessToken).toBe(s.access)
    }
    expect(handler).toHaveBeenCalledTimes(others.length)
  })

  it('with strict: true refuses a revoked session at once (the stateless check waits for expiry)', async () => {
    const { baton } = await setup()
    const s = await signedIn(baton)
    const strict = baton.withAuth(async () => new Response('ok'), { strict: true })
    const relaxed = baton.withAuth(async () => new Response('ok'))
    const request = () => new Request(`${ORIGIN}/api/x`, { headers: { cookie: `${AT}=${s.access}` } })
    expect((await strict(request(), {})).status).toBe(200)
    await baton.engine.signOut({ refreshToken: s.refresh })
    const refused = await strict(request(), {})
    expect(refused.status).toBe(401)
    expect((await refused.json()).error.code).toBe('ERR_SESSION_REVOKED')
    expect((await relaxed(request(), {})).status).toBe(200)
  })

  it('with strict: true answers 503 when the store is down, not 401', async () => {
    const { baton } = await setup({ revocationCacheTtl: 0 })
    const s = await signedIn(baton)
    const strict = baton.withAuth(async () => new Response('ok'), { strict: true })
    const spy = vi.spyOn(backend.store, 'getSession').mockRejectedValue(new Error('ECONNREFUSED'))
    const response = await strict(new Request(`${ORIGIN}/api/x`, { headers: { cookie: `${AT}=${s.access}` } }), {})
    spy.mockRestore()
    expect(response.status).toBe(503)
    expect((await response.json()).error.code).toBe('ERR_STORE_UNAVAILABLE')
  })

  it('works without a route context (route handlers with no dynamic segment)', async () => {
    const { baton } = await setup()
    const s = await signedIn(baton)
    const route = baton.withAuth(async (_r, { auth }) => Response.json(auth.subject))
    const response = await route(
      new Request(`${ORIGIN}/api/x`, { headers: { cookie: `${AT}=${s.access}` } }),
      undefined,
    )
    expect(await response.json()).toBe('user-ada')
  })
})

describe('safeReturnPath', () => {
  it.each(['/dashboard?x=1', '/', '/devices#top', '/a/b/c?next=%2F%2Fevil.com', '/search?q=caf%C3%A9'])(
    'accepts %s',
    (path) => {
      expect(safeReturnPath(path)).toBe(path)
    },
  )

  it.each([
    ['protocol-relative', '//evil.com'],
    ['protocol-relative with a path', '//evil.com/dashboard'],
    ['backslash (browsers read it as //)', '/\\evil.com'],
    ['backslash then slash', '/\\/evil.com'],
    ['any backslash', '/dash\\board'],
    ['absolute URL', 'https://evil.com'],
    ['scheme without slashes', 'http:/evil.com'],
    ['javascript: URL', 'javascript:alert(1)'],
    ['tab (stripped by URL parsers)', '/\t/evil.com'],
    ['newline', '/\n/evil.com'],
    ['CRLF', '/\r\nSet-Cookie: x=1'],
    ['NUL', '/\u0000'],
    ['over-long', `/${'a'.repeat(2048)}`],
    ['relative without a slash', 'dashboard'],
    ['empty', ''],
    ['leading space', ' /dashboard'],
  ])('rejects %s', (_, path) => {
    expect(safeReturnPath(path)).toBeNull()
  })

  it('rejects what is not a string', () => {
    for (const value of [null, undefined, 42, ['/dashboard'], { toString: () => '/dashboard' }]) {
      expect(safeReturnPath(value)).toBeNull()
    }
  })

  it('accepts a path of exactly 2048 characters', () => {
    expect(safeReturnPath(`/${'a'.repeat(2047)}`)).toHaveLength(2048)
  })
})
