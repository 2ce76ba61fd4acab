/**
 * Issue 14 (React SPA): opt-in CORS with credentials on the auth routes. A
 * listed origin gets its own origin back with credentials, an unlisted one
 * gets nothing (and 403 on state-changing calls), `Vary: Origin` whenever
 * CORS is on, preflights answer 204, and `*` never appears.
 */
import { MemorySessionStore } from '@baton/core'
import { describe, expect, it } from 'vitest'
import type { BatonOptions } from '../options.js'
import { ORIGIN, request } from '../test-app.fixture.js'
import { cookieHeader, expectError, freshUser, quickBaton, signIn } from './routes.fixture.js'

const SPA = 'http://localhost:5173'
const EVIL = 'http://evil.test'
const CORS: Partial<BatonOptions> = { cors: { origins: [SPA] } }

const make = (overrides: Partial<BatonOptions> = CORS) => quickBaton(new MemorySessionStore(), overrides)

function preflight(path: string, origin: string, method = 'POST'): Request {
  return request(path, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': 'content-type' },
  })
}

function expectAllowed(response: Response, origin = SPA): void {
  expect(response.headers.get('access-control-allow-origin')).toBe(origin)
  expect(response.headers.get('access-control-allow-credentials')).toBe('true')
  expect(response.headers.get('vary')).toMatch(/\bOrigin\b/)
}

function expectNotAllowed(response: Response): void {
  expect(response.headers.get('access-control-allow-origin')).toBeNull()
  expect(response.headers.get('access-control-allow-credentials')).toBeNull()
  expect(response.headers.get('access-control-allow-methods')).toBeNull()
  expect(response.headers.get('vary')).toMatch(/\bOrigin\b/)
}

describe('auth routes with cors', () => {
  it('a listed origin signs in, reads its session and refreshes with credentials', async () => {
    const { baton } = await make()
    const { email } = await freshUser()
    const { jar, response: login } = await signIn(baton, email, { headers: { origin: SPA } })
    expectAllowed(login)
    expect(login.headers.get('access-control-expose-headers')).toMatch(/Retry-After/)
    const cookies = { [baton.cookieNames.access]: jar.access, [baton.cookieNames.refresh]: jar.refresh }
    const session = await baton.handlers.GET(request('/api/auth/session', { headers: { origin: SPA }, cookies }))
    expect(session.status).toBe(200)
    expectAllowed(session)
    const refreshed = await baton.handlers.POST(
      request('/api/auth/refresh', { method: 'POST', headers: { origin: SPA }, cookies }),
    )
    expect(refreshed.status).toBe(200)
    expectAllowed(refreshed)
  })

  it('error answers carry the headers too, so the SPA can read the 401', async () => {
    const { baton } = await make()
    const response = await baton.handlers.GET(request('/api/auth/session', { headers: { origin: SPA } }))
    expectAllowed(response)
    expect(response.headers.get('access-control-expose-headers')).toMatch(/WWW-Authenticate/)
    await expectError(response, 401, 'ERR_REFRESH_TOKEN_MISSING')
  })

  it('an unlisted origin gets no CORS headers, Vary: Origin, and 403 ERR_CSRF on a state-changing call', async () => {
    const { baton } = await make()
    const { email } = await freshUser()
    const login = await baton.handlers.POST(
      request('/api/auth/login', { method: 'POST', headers: { origin: EVIL }, json: { email, password: 'x' } }),
    )
    expectNotAllowed(login)
    await expectError(login, 403, 'ERR_CSRF')
    const session = await baton.handlers.GET(request('/api/auth/session', { headers: { origin: EVIL } }))
    expectNotAllowed(session)
    // Same-origin calls (no CORS at all) still get Vary, so a cache never mixes the two.
    const own = await baton.handlers.GET(request('/api/auth/session'))
    expectNotAllowed(own)
  })

  it('answers a listed preflight 204 with methods, headers and Max-Age', async () => {
    const { baton } = await make({ cors: { origins: ['https://a.example', SPA], maxAge: 120 } })
    const response = await baton.handlers.OPTIONS(preflight('/api/auth/login', SPA))
    expect(response.status).toBe(204)
    expectAllowed(response)
    expect(response.headers.get('access-control-allow-methods')).toBe('POST')
    expect(response.headers.get('access-control-allow-headers')).toBe('Content-Type, Authorization')
    expect(response.headers.get('access-control-max-age')).toBe('120')
    const revoke = await baton.handlers.OPTIONS(preflight('/api/auth/sessions/abc', 'https://a.example', 'DELETE'))
    expect(revoke.status).toBe(204)
    expectAllowed(revoke, 'https://a.example')
    expect(revoke.headers.get('access-control-allow-methods')).toBe('DELETE')
  })

  it('answers an unlisted preflight 204 without allow headers (the browser blocks), never 401 or 500', async () => {
    const { baton } = await make()
    for (const origin of [EVIL, 'null', 'http://localhost:5174', `${SPA}/`]) {
      const response = await baton.handlers.OPTIONS(preflight('/api/auth/refresh', origin))
      expect(response.status).toBe(204)
      expectNotAllowed(response)
      expect(response.headers.get('access-control-max-age')).toBeNull()
    }
    const unknown = await baton.handlers.OPTIONS(preflight('/api/auth/nope', SPA))
    expectAllowed(unknown)
    await expectError(unknown, 404, 'ERR_NOT_FOUND')
  })

  it('never answers *, whatever the route, method or origin', async () => {
    const { baton } = await make()
    const paths = ['/api/auth/login', '/api/auth/refresh', '/api/auth/logout', '/api/auth/session', '/api/auth/x']
    for (const path of paths) {
      for (const method of ['GET', 'POST', 'DELETE', 'OPTIONS']) {
        for (const origin of [SPA, EVIL, '*', 'null']) {
          const response = await baton.handlers.GET(request(path, { method, headers: { origin } }))
          expect(response.status).toBeLessThan(500)
          expect(response.headers.get('access-control-allow-origin')).not.toBe('*')
          expect(response.headers.get('vary')).toMatch(/\bOrigin\b/)
        }
      }
    }
  })

  it('is opt-in: without `cors` no CORS headers, OPTIONS stays 405 and another origin is refused', async () => {
    const { baton } = await make({})
    const options = await baton.handlers.OPTIONS(preflight('/api/auth/login', SPA))
    await expectError(options, 405, 'ERR_METHOD_NOT_ALLOWED')
    const { email } = await freshUser()
    const login = await baton.handlers.POST(
      request('/api/auth/login', { method: 'POST', headers: { origin: SPA }, json: { email, password: 'x' } }),
    )
    expect(login.headers.get('access-control-allow-origin')).toBeNull()
    expect(login.headers.get('vary')).toBeNull()
    await expectError(login, 403, 'ERR_CSRF')
  })

  it('a listed origin is trusted by the CSRF check without also being in allowedOrigins', async () => {
    const { baton } = await make()
    expect(baton.options.allowedOrigins.has(SPA)).toBe(true)
    expect(baton.options.allowedOrigins.has(ORIGIN)).toBe(false)
    const { email } = await freshUser()
    const { jar } = await signIn(baton, email, { headers: { origin: SPA } })
    const logout = await baton.handlers.POST(
      request('/api/auth/logout', {
        method: 'POST',
        headers: { origin: SPA, cookie: cookieHeader({ [baton.cookieNames.refresh]: jar.refresh }) },
      }),
    )
    expect(logout.status).toBeLessThan(300)
    expectAllowed(logout)
  })
})
