// The server layer mounted in a bare `node:http` server — no framework — and driven over the
// loopback with fetch, the way an app on plain Node (or a test-kit) would use it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { listen } from './node-listener.fixture.js'
import { ADA, testServer } from './server.fixture.js'

let served: Awaited<ReturnType<typeof listen>>
let base: string

beforeAll(async () => {
  served = await listen(testServer({ allowedOrigins: ['http://client.test'] }))
  base = served.base
})

afterAll(() => served.close())

describe('AuthServer in node:http', () => {
  it('signs in, refreshes and signs out over real HTTP, cookies and all', async () => {
    const headers = { origin: 'http://client.test', 'content-type': 'application/json' }
    const login = await fetch(`${base}/login`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ email: ADA.email, password: 'pw' }),
    })
    expect(login.status).toBe(200)
    expect((await login.json()).user).toEqual(ADA)
    const cookie = login.headers
      .getSetCookie()
      .map((line) => line.split(';')[0])
      .join('; ')
    expect(cookie).toContain('baton.rt=brt_')

    const refreshed = await fetch(`${base}/refresh`, { method: 'POST', headers: { ...headers, cookie } })
    expect(refreshed.status).toBe(200)
    expect(refreshed.headers.get('cache-control')).toBe('no-store')

    // The spent cookie again, within the reuse grace (a second tab): the same successor, not a sign-out.
    const replay = await fetch(`${base}/refresh`, { method: 'POST', headers: { ...headers, cookie } })
    expect(replay.status).toBe(200)

    const logout = await fetch(`${base}/logout`, { method: 'POST', headers: { ...headers, cookie } })
    expect(await logout.json()).toMatchObject({ ok: true })
    expect(logout.headers.getSetCookie().every((line) => line.includes('Max-Age=0'))).toBe(true)
    const after = await fetch(`${base}/session`, { headers: { cookie } })
    expect(after.status).toBe(401)
  })

  it('answers hostile input with 4xx JSON, never a 500', async () => {
    const cases: [RequestInit, number][] = [
      [{ method: 'POST', headers: { origin: 'http://client.test', 'content-type': 'text/plain' }, body: 'x' }, 415],
      [
        { method: 'POST', headers: { origin: 'http://client.test', 'content-type': 'application/json' }, body: '{' },
        400,
      ],
      [
        { method: 'POST', headers: { origin: 'http://evil.test', 'content-type': 'application/json' }, body: '{}' },
        403,
      ],
      [
        {
          method: 'POST',
          headers: { origin: 'http://client.test', 'content-type': 'application/json' },
          body: 'x'.repeat(20_000),
        },
        413,
      ],
    ]
    for (const [init, status] of cases) {
      const response = await fetch(`${base}/login`, init)
      expect(response.status).toBe(status)
      expect((await response.json()).error.code).toMatch(/^ERR_/)
    }
  })
})
