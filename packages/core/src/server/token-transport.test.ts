// The token transport for native apps and CLIs: the refresh token in the JSON body, the access
// token as Bearer, never mixed with Baton's cookies, and off unless the app turns it on.
import { describe, expect, it } from 'vitest'
import { manualClock } from '../testing/index.js'
import { ADA, authRequest, testServer } from './server.fixture.js'

const TOKEN = { 'x-baton-transport': 'token' }
/** A native client sends no Origin and no cookies. */
const native = (path: string, init: { body?: unknown; headers?: Record<string, string>; method?: string } = {}) => {
  const request = authRequest(path, { ...init, headers: { ...TOKEN, ...init.headers } })
  request.headers.delete('origin')
  return request
}

describe('token transport', () => {
  it('signs in, refreshes with the body token, calls with Bearer and signs out — no cookie anywhere', async () => {
    const clock = manualClock(Date.now())
    const server = testServer({ tokenTransport: true, clock })
    const login = await server.handle(native('/login', { body: { email: ADA.email, password: 'pw' } }))
    expect(login.status).toBe(200)
    expect(login.headers.getSetCookie()).toEqual([])
    const first = await login.json()
    expect(first.refreshToken).toMatch(/^brt_/)
    expect(first.refreshTokenExpiresAt).toBeGreaterThan(first.accessTokenExpiresAt)

    const refreshed = await server.handle(native('/refresh', { body: { refreshToken: first.refreshToken } }))
    expect(refreshed.status).toBe(200)
    expect(refreshed.headers.getSetCookie()).toEqual([])
    const second = await refreshed.json()
    expect(second.refreshToken).not.toBe(first.refreshToken)

    const bearer = { authorization: `Bearer ${second.accessToken}` }
    const session = await server.handle(native('/session', { headers: bearer }))
    expect((await session.json()).user).toEqual(ADA)

    // The spent token again, past the reuse grace: reuse is detected and the session revoked, as with cookies.
    clock.advance(11_000)
    const reused = await server.handle(native('/refresh', { body: { refreshToken: first.refreshToken } }))
    expect(reused.status).toBe(401)
    expect(reused.headers.getSetCookie()).toEqual([])
    const after = await server.handle(native('/refresh', { body: { refreshToken: second.refreshToken } }))
    expect(after.status).toBe(401)
  })

  it('signs out with the body token; everywhere needs the live access token too', async () => {
    const server = testServer({ tokenTransport: true })
    const signIn = async () =>
      (await server.handle(native('/login', { body: { email: ADA.email, password: 'pw' } }))).json()
    const a = await signIn()
    await signIn()
    const out = await server.handle(
      native('/logout', {
        body: { refreshToken: a.refreshToken, everywhere: true },
        headers: { authorization: `Bearer ${a.accessToken}` },
      }),
    )
    expect(await out.json()).toEqual({ ok: true, revoked: 2 })
    expect(out.headers.getSetCookie()).toEqual([])
  })

  it('is off by default: 400 ERR_TRANSPORT_REFUSED saying how to turn it on', async () => {
    const server = testServer()
    const response = await server.handle(native('/login', { body: { email: ADA.email, password: 'pw' } }))
    expect(response.status).toBe(400)
    const { error } = await response.json()
    expect(error.code).toBe('ERR_TRANSPORT_REFUSED')
    expect(error.message).toContain('tokenTransport: true')
  })

  it('is refused for a request that carries Baton’s cookies, so a page cannot lift the refresh token', async () => {
    const server = testServer({ tokenTransport: true })
    const cookieLogin = await server.handle(authRequest('/login', { body: { email: ADA.email, password: 'pw' } }))
    const cookie = cookieLogin.headers
      .getSetCookie()
      .map((line) => line.split(';')[0])
      .join('; ')
    const mixed = authRequest('/refresh', { method: 'POST', cookie, headers: TOKEN })
    const response = await server.handle(mixed)
    expect(response.status).toBe(400)
    expect((await response.json()).error.code).toBe('ERR_TRANSPORT_REFUSED')
    // The cookie session is untouched by the refusal.
    const still = await server.handle(authRequest('/refresh', { method: 'POST', cookie }))
    expect(still.status).toBe(200)
  })

  it('refuses an unknown transport and a body without a well-formed refreshToken', async () => {
    const server = testServer({ tokenTransport: true })
    const unknown = await server.handle(native('/refresh', { body: {}, headers: { 'x-baton-transport': 'jwt' } }))
    expect((await unknown.json()).error.code).toBe('ERR_TRANSPORT_REFUSED')
    for (const body of [{}, { refreshToken: 7 }, { refreshToken: 'x'.repeat(600) }]) {
      const response = await server.handle(native('/refresh', { body }))
      expect(response.status).toBe(400)
      expect((await response.json()).error.code).toBe('ERR_BAD_REQUEST')
    }
  })

  it('leaves the cookie transport’s CSRF check in place', async () => {
    const server = testServer({ tokenTransport: true })
    const noOrigin = authRequest('/login', { body: { email: ADA.email, password: 'pw' } })
    noOrigin.headers.delete('origin')
    expect((await (await server.handle(noOrigin)).json()).error.code).toBe('ERR_CSRF')
  })
})
