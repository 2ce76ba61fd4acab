/**
 * Issue 13 against a real `next build && next start` of Next 15 (15.5, Edge
 * `middleware.ts`, see `fixture-next15/`), where `request.nextUrl` names the
 * listening address (`http://localhost:PORT`) whatever `Host` the browser
 * sent: the sign-in redirect must still go to the browser's host (§5), a
 * CORS preflight must reach the app (§7), one shared config must make the
 * Edge proxy read the cookies the routes set (§8a), and a POST without
 * `Origin` is refused (§8c); with `devtools`, the proxy's report reaches the
 * browser. The same redirect is asserted on Next 16 in
 * `fixture-app.test.ts`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type FixtureServer, NEXT15_FIXTURE_DIR, startFixtureServer } from '../fixture.setup.js'
import { cookiesSet, type HostResponse, hostRequest } from './host-request.fixture.js'

const HOST = 'app.example.com'
const PUBLIC = `http://${HOST}`

let server: FixtureServer

beforeAll(async () => {
  server = await startFixtureServer(NEXT15_FIXTURE_DIR)
  const { packages, nextBuild, start } = server.timings
  console.info(`[next15] tsdown ${packages} ms, next build ${nextBuild} ms, next start ${start} ms (0 = up to date)`)
}, 300_000)

afterAll(async () => {
  await server?.stop()
})

const get = (path: string, headers: Record<string, string> = {}): Promise<HostResponse> =>
  hostRequest(server.origin, path, { headers: { host: HOST, ...headers } })

describe('Next 15 (Edge middleware) build', () => {
  it('prints no warning: the Edge entry no longer pulls in the JWE code of jose (CompressionStream) through @baton/core', () => {
    const log = server.buildLog()
    expect(log).toMatch(/Compiled successfully|Compiled with warnings/)
    expect(log).not.toMatch(/CompressionStream|DecompressionStream|Compiled with warnings/)
  })
})

describe('Next 15 (Edge middleware) behind a reverse proxy', () => {
  it('sends a signed-out visitor to sign-in on the Host they asked for, not to localhost', async () => {
    const response = await get('/dashboard')
    expect(response.status).toBe(307)
    expect(response.headers.location).toBe(`${PUBLIC}/login?next=%2Fdashboard`)
  })

  it('never lets an untrusted X-Forwarded-Host pick the redirect target', async () => {
    const response = await get('/dashboard?tab=2', { 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https' })
    expect(response.status).toBe(307)
    const location = new URL(String(response.headers.location))
    expect(location.host).toBe(HOST)
    expect(`${location.pathname}${location.search}`).toBe('/login?next=%2Fdashboard%3Ftab%3D2')
    // The scheme is Next's own (`nextUrl.protocol`), which Next 15 takes from X-Forwarded-Proto:
    // it can only switch this same host between http and https.
    expect(location.protocol).toBe('https:')
  })

  it('lets a CORS preflight to a protected API path through to the app', async () => {
    const response = await hostRequest(server.origin, '/api/me', {
      method: 'OPTIONS',
      headers: { host: HOST, origin: 'https://spa.example', 'access-control-request-method': 'GET' },
    })
    expect(response.status).not.toBe(401)
    expect(response.status).toBeLessThan(300)
  })

  it('with one shared config (secure: false), the middleware refreshes with the cookies the routes set', async () => {
    const login = await hostRequest(server.origin, '/api/auth/login', {
      method: 'POST',
      headers: { host: HOST, origin: PUBLIC, 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'ada@example.com', password: 'correct-horse-battery-staple' }),
    })
    expect(login.status).toBe(200)
    const jar = cookiesSet(login)
    expect(Object.keys(jar).sort()).toEqual(['baton.at', 'baton.rt'])
    // Only the refresh cookie: the Edge middleware must refresh through the route, then render.
    const page = await get('/dashboard', { cookie: `baton.rt=${jar['baton.rt']}` })
    expect(page.status).toBe(200)
    const fresh = cookiesSet(page)
    expect(fresh['baton.at']).toBeTruthy()
    expect(fresh['baton.rt']).toBeTruthy()
    expect(fresh['baton.rt']).not.toBe(jar['baton.rt'])
    expect(page.body).toMatch(/data-testid="session-id">[A-Za-z0-9_-]+</)
  })

  it("with devtools (middleware.ts: ?devtools), Next forwards the Edge proxy's Server-Timing and redirect cookie", async () => {
    const login = await hostRequest(server.origin, '/api/auth/login', {
      method: 'POST',
      headers: { host: HOST, origin: PUBLIC, 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'ada@example.com', password: 'correct-horse-battery-staple' }),
    })
    expect(login.status).toBe(200)
    const page = await get('/dashboard?devtools', { cookie: `baton.rt=${cookiesSet(login)['baton.rt']}` })
    expect(page.status).toBe(200)
    expect(page.headers['server-timing']).toMatch(/(^|, )baton;dur=\d+\.\d;desc="refreshed:missing-access"/)
    expect(cookiesSet(page)['baton-devtools']).toBeUndefined()

    const visitor = await get('/dashboard?devtools')
    expect(visitor.status).toBe(307)
    expect(visitor.headers['server-timing']).toMatch(/desc="redirected:ERR_UNAUTHENTICATED"/)
    expect(JSON.parse(decodeURIComponent(cookiesSet(visitor)['baton-devtools'] ?? ''))).toMatchObject({
      action: 'redirected',
      reason: 'ERR_UNAUTHENTICATED',
      path: '/dashboard',
    })
    // Without the option (the default under next start): no report.
    const quiet = await get('/dashboard')
    expect(quiet.status).toBe(307)
    expect(quiet.headers['server-timing']).toBeUndefined()
    expect(cookiesSet(quiet)['baton-devtools']).toBeUndefined()
  })

  it('refuses a state-changing POST that carries no Origin (403 ERR_CSRF JSON)', async () => {
    const response = await hostRequest(server.origin, '/api/auth/logout', {
      method: 'POST',
      headers: { host: HOST, 'content-type': 'application/json' },
      body: '{}',
    })
    expect(response.status).toBe(403)
    expect(JSON.parse(response.body).error.code).toBe('ERR_CSRF')
  })
})
