// The server layer driven with plain `Request`s, in Node and in the Edge runtime: no Next anywhere.
import { describe, expect, it, vi } from 'vitest'
import { isBatonError, MemorySessionStore } from '../index.js'
import { toSetCookie } from './cookies/set-cookie.js'
import { ADA, authRequest, cookieHeader, ORIGIN, testServer } from './server.fixture.js'

describe('createAuthServer: the router', () => {
  it('signs in, reads the session, refreshes, lists devices and signs out over HTTP', async () => {
    const server = testServer()
    const login = await server.handle(authRequest('/login', { body: { email: ADA.email, password: 'pw' } }))
    expect(login.status).toBe(200)
    const signedIn = await login.json()
    expect(signedIn.user).toEqual(ADA)
    expect(signedIn).not.toHaveProperty('refreshToken')
    const cookie = cookieHeader(login)
    expect(cookie).toMatch(/^baton\.at=[^;]+; baton\.rt=brt_/)

    const session = await server.handle(authRequest('/session', { cookie }))
    expect(session.status).toBe(200)
    expect((await session.json()).session.current).toBe(true)

    const refreshed = await server.handle(authRequest('/refresh', { method: 'POST', cookie }))
    expect(refreshed.status).toBe(200)
    const rotated = cookieHeader(refreshed)
    expect(rotated).not.toBe(cookie)

    const devices = await server.handle(authRequest('/sessions', { cookie: rotated }))
    expect((await devices.json()).sessions).toHaveLength(1)

    const logout = await server.handle(authRequest('/logout', { method: 'POST', cookie: rotated }))
    expect(await logout.json()).toEqual({ ok: true, revoked: 1 })
    expect(logout.headers.getSetCookie().every((line) => line.includes('Max-Age=0'))).toBe(true)
    const after = await server.handle(authRequest('/session', { cookie: rotated }))
    expect(after.status).toBe(401)
  })

  it('keeps today’s HTTP contract: CSRF, 404, 405 with Allow, JSON errors with codes', async () => {
    const server = testServer()
    const crossSite = await server.handle(
      authRequest('/login', { body: { email: ADA.email, password: 'pw' }, headers: { origin: 'https://evil.test' } }),
    )
    expect(crossSite.status).toBe(403)
    expect((await crossSite.json()).error.code).toBe('ERR_CSRF')
    const missing = await server.handle(authRequest('/nope'))
    expect(missing.status).toBe(404)
    const wrongMethod = await server.handle(authRequest('/login'))
    expect(wrongMethod.status).toBe(405)
    expect(wrongMethod.headers.get('allow')).toBe('POST')
    const bad = await server.handle(authRequest('/login', { body: { email: ADA.email, password: 'nope' } }))
    expect(bad.status).toBe(401)
    expect((await bad.json()).error.code).toBe('ERR_INVALID_CREDENTIALS')
  })

  it('deletes the cookies after a terminal refresh failure, keeps them after an outage', async () => {
    const server = testServer()
    const reused = await server.handle(authRequest('/refresh', { method: 'POST', cookie: 'baton.rt=brt_forged' }))
    expect(reused.status).toBe(401)
    expect(reused.headers.getSetCookie()).toHaveLength(2)
    const store = new MemorySessionStore()
    const down = testServer({ store })
    const login = await down.handle(authRequest('/login', { body: { email: ADA.email, password: 'pw' } }))
    store.findRefreshToken = () => Promise.reject(new Error('connection refused'))
    const outage = await down.handle(authRequest('/refresh', { method: 'POST', cookie: cookieHeader(login) }))
    expect(outage.status).toBe(503)
    expect(outage.headers.getSetCookie()).toEqual([])
  })
})

describe('createAuthServer: the operations return data plus cookie instructions', () => {
  it('signIn → refresh → updateSession → signOut, each with its cookies', async () => {
    let role = 'reader'
    const server = testServer({ claims: async () => ({ role }) })
    const request = authRequest('/login')
    const issued = await server.signIn({ request, credentials: { email: ADA.email, password: 'pw' } })
    expect(issued.subject).toBe('u1')
    expect(issued.cookies.map((c) => c.name)).toEqual(['baton.at', 'baton.rt'])
    expect(issued.cookies[1]).toMatchObject({ value: issued.refreshToken, httpOnly: true, path: '/' })

    const rotated = await server.refresh({ request, refreshToken: issued.refreshToken })
    expect(rotated.refreshToken).not.toBe(issued.refreshToken)
    const withCookies = {
      headers: new Headers({ cookie: rotated.cookies.map((c) => `${c.name}=${c.value}`).join('; ') }),
    }

    role = 'admin'
    const updated = await server.updateSession({ request: withCookies })
    expect(updated.cookies.map((c) => c.name)).toEqual(['baton.at'])
    const verified = await server.engine.verifyAccessToken(updated.session?.accessToken ?? '')
    expect(verified.claims.role).toBe('admin')

    const current = await server.session({ request: withCookies, strict: true })
    expect(current?.subject).toBe('u1')

    const out = await server.signOut({ request: new Request(ORIGIN, withCookies) })
    expect(out.revoked).toBe(1)
    expect(out.cookies.map(toSetCookie).every((line) => line.includes('Max-Age=0'))).toBe(true)
    expect(await server.session({ request: withCookies, strict: true })).toBeNull()
  })

  it('refuses malformed credentials with a 400 before any lookup', async () => {
    const server = testServer()
    const error = await server
      .signIn({ request: authRequest('/login'), credentials: { email: ADA.email, password: 42 } })
      .catch((e: unknown) => e)
    expect(isBatonError(error) && error.code).toBe('ERR_BAD_REQUEST')
  })

  it('cookiesAfter: deletions for a session that ended, none for an outage', async () => {
    const server = testServer()
    const ended = await server.refresh({ request: authRequest('/refresh'), refreshToken: 'brt_nope' }).catch((e) => e)
    expect(server.cookiesAfter(ended).map((c) => c.maxAge)).toEqual([0, 0])
    expect(server.cookiesAfter(new Error('store down'))).toEqual([])
  })

  it('verifyRequest says why a request is signed out; session() answers null', async () => {
    const server = testServer()
    const request = { headers: new Headers({ authorization: 'Bearer not.a.token' }) }
    const error = await server.verifyRequest({ request }).catch((e: unknown) => e)
    expect(isBatonError(error) && error.code).toBe('ERR_ACCESS_TOKEN_INVALID')
    expect(await server.session({ request })).toBeNull()
  })

  it('passes a framework’s control-flow error through untouched', async () => {
    const signal = Object.assign(new Error('NEXT_REDIRECT'), { digest: 'NEXT_REDIRECT;replace;/x;307;' })
    const server = testServer({
      authenticate: async () => {
        throw signal
      },
      framework: { controlFlow: (error) => (error === signal ? signal : null) },
    })
    await expect(server.handle(authRequest('/login', { body: { email: ADA.email, password: 'pw' } }))).rejects.toBe(
      signal,
    )
    // Without the hook the same error is an internal failure, answered 503 like any other.
    const log = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    const plain = testServer({
      authenticate: async () => {
        throw signal
      },
    })
    const answered = await plain.handle(authRequest('/login', { body: { email: ADA.email, password: 'pw' } }))
    expect(answered.status).toBe(503)
    expect(log).toHaveBeenCalledOnce()
    log.mockRestore()
  })
})
