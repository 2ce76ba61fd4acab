// The server layer mounted in a bare `node:http` server — no framework — and driven over the
// loopback with fetch, the way an app on plain Node (or a test-kit) would use it.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Readable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AuthServer } from './auth-server.js'
import { ADA, testServer } from './server.fixture.js'

/** What an app on plain Node writes: IncomingMessage → Request → AuthServer → ServerResponse. */
function listener(auth: AuthServer) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const hasBody = req.method !== 'GET' && req.method !== 'HEAD'
    const request = new Request(`http://${req.headers.host}${req.url}`, {
      method: req.method ?? 'GET',
      headers: Object.entries(req.headers).flatMap(([k, v]) =>
        v === undefined ? [] : (Array.isArray(v) ? v : [v]).map((x): [string, string] => [k, x]),
      ),
      body: hasBody ? (Readable.toWeb(req) as ReadableStream) : null,
      duplex: 'half',
    } as RequestInit)
    const response = await auth.handle(request)
    const headers: string[] = []
    response.headers.forEach((value, name) => {
      if (name !== 'set-cookie') headers.push(name, value)
    })
    for (const cookie of response.headers.getSetCookie()) headers.push('set-cookie', cookie)
    res.writeHead(response.status, headers)
    res.end(Buffer.from(await response.arrayBuffer()))
  }
}

let server: Server
let base: string

beforeAll(async () => {
  server = createServer(listener(testServer({ allowedOrigins: ['http://client.test'] })))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/auth`
})

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve))
})

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
