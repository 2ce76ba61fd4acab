/**
 * The `devtools` option on the real proxies: the Node proxy over a SQLite
 * file (rotation in-process) and the Edge proxy calling a real refresh route.
 * Each reason is covered one by one in proxy-report.test.ts.
 */
import { ConfigError } from '@baton/core'
import { NextRequest } from 'next/server'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createEdgeProxy } from '../edge/index.js'
import { type Served, serve } from '../edge/serve.fixture.js'
import { ORIGIN, SECRET, setCookies, testBaton } from '../test-app.fixture.js'
import { openSqliteFile, type SqlBackend, signedIn } from './sql-backends.fixture.js'

const MINUTE = 60_000
const TIMING = /^baton;dur=\d+\.\d;desc="([a-z-]+):([\w-]+)"$/

let backend: SqlBackend
beforeAll(() => {
  backend = openSqliteFile()
})
afterAll(async () => backend.close())

const servers: Served[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close().catch(() => undefined)))
})

const nextRequest = (url: string | URL, headers: Record<string, string> = {}) =>
  new NextRequest(new URL(url, ORIGIN), { headers })

/** `[action, reason]` from the response's Server-Timing entry. */
function reported(response: Response): [string, string] {
  const match = TIMING.exec(response.headers.get('server-timing') ?? '')
  expect(match, String(response.headers.get('server-timing'))).not.toBeNull()
  return [match?.[1] as string, match?.[2] as string]
}

/** The dev-tools cookie's Set-Cookie line, if any. */
const devtoolsLine = (response: Response) =>
  response.headers.getSetCookie().find((line) => line.startsWith('baton-devtools='))

describe('Node proxy with devtools', () => {
  it('reports a valid cookie, an in-place rotation and a reused token, with the redirect cookie', async () => {
    const { baton, clock } = await testBaton(backend.store, { devtools: true })
    const s = await signedIn(baton)
    expect(reported(await baton.proxy(nextRequest('/dashboard', { cookie: s.cookie() })))).toEqual([
      'verified',
      'valid',
    ])

    clock.advance(15 * MINUTE + 10_000)
    const refreshed = await baton.proxy(nextRequest('/dashboard', { cookie: s.cookie() }))
    expect(reported(refreshed)).toEqual(['refreshed', 'expired'])
    expect(setCookies(refreshed)[baton.cookieNames.refresh]).toMatch(/^brt_/)
    expect(devtoolsLine(refreshed)).toBeUndefined()

    clock.advance(11_000) // past the grace window: the old refresh token is now a reused one
    const reused = await baton.proxy(nextRequest('/devices?tab=2', { cookie: s.cookie() }))
    expect(reused.status).toBe(307)
    expect(reported(reused)).toEqual(['redirected', 'ERR_REFRESH_TOKEN_REUSED'])
    const line = devtoolsLine(reused) as string
    // testBaton's cookies are Secure, so is this one; the page's script must read it.
    expect(line).toMatch(/^baton-devtools=[^;]+; Max-Age=60; Path=\/; SameSite=Lax; Secure$/)
    expect(JSON.parse(decodeURIComponent(line.slice('baton-devtools='.length, line.indexOf(';'))))).toEqual({
      action: 'redirected',
      reason: 'ERR_REFRESH_TOKEN_REUSED',
      path: '/devices',
      at: clock.now(),
    })
  })

  it('is off by default outside next dev: no Server-Timing, no cookie', async () => {
    expect(process.env.NODE_ENV).not.toBe('development')
    const { baton } = await testBaton(backend.store)
    const s = await signedIn(baton)
    for (const response of [
      await baton.proxy(nextRequest('/dashboard', { cookie: s.cookie() })),
      await baton.proxy(nextRequest('/dashboard', { cookie: s.cookie({}, { access: false }) })),
      await baton.proxy(nextRequest('/dashboard')),
      await baton.proxy(nextRequest('/about')),
    ]) {
      expect(response.headers.get('server-timing')).toBeNull()
      expect(devtoolsLine(response)).toBeUndefined()
    }
  })

  it('refuses a devtools option that is not a boolean', async () => {
    await expect(testBaton(backend.store, { devtools: 'yes' as never })).rejects.toThrow(ConfigError)
    expect(() => createEdgeProxy({ secret: SECRET, devtools: 1 as never })).toThrow(ConfigError)
  })
})

describe('Edge proxy with devtools', () => {
  it('reports a rotation through the refresh route, and a revoked session sent to sign-in', async () => {
    const { baton, clock } = await testBaton(backend.store)
    const server = await serve((request) => baton.handlers[request.method as 'POST'](request))
    servers.push(server)
    const paths = { protected: ['/dashboard', '/api/me'] }
    const proxy = createEdgeProxy({ secret: SECRET, paths, cookies: { secure: false, hostPrefix: false } })
    const reporting = createEdgeProxy({ secret: SECRET, paths, cookies: { secure: true }, devtools: true })
    // The Edge proxy reads the real clock: a session started 20 minutes ago has an expired access token.
    clock.set(Date.now() - 20 * MINUTE)
    const s = await signedIn(baton)
    clock.set(Date.now())

    const refreshed = await reporting(nextRequest(new URL('/dashboard', server.origin), { cookie: s.cookie() }))
    expect(reported(refreshed)).toEqual(['refreshed', 'expired'])
    expect(devtoolsLine(refreshed)).toBeUndefined()

    await baton.engine.signOut({ refreshToken: setCookies(refreshed)[baton.cookieNames.refresh] as string })
    const signedOut = await reporting(nextRequest(new URL('/dashboard', server.origin), { cookie: s.cookie() }))
    expect(signedOut.status).toBe(307)
    expect(reported(signedOut)).toEqual(['redirected', 'ERR_SESSION_REVOKED'])
    expect(devtoolsLine(signedOut)).toMatch(/; SameSite=Lax; Secure$/)

    // The same request to a proxy without the option: no report.
    const quiet = await proxy(nextRequest(new URL('/dashboard', server.origin)))
    expect(quiet.status).toBe(307)
    expect(quiet.headers.get('server-timing')).toBeNull()
    expect(devtoolsLine(quiet)).toBeUndefined()
  })
})
