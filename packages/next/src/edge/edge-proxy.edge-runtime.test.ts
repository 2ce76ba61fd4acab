// @vitest-environment edge-runtime
/**
 * The Edge proxy under the Edge runtime's globals (@edge-runtime/vm: its
 * Request, Response, Headers, fetch, crypto.subtle). Only the app server it
 * refreshes against is Node, as it would be in production.
 */
import { generateSigningKey, type KeyedJwk, MemorySessionStore } from '@baton/core'
import { manualClock } from '@baton/core/testing'
import { NextRequest } from 'next/server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createBaton } from '../create-baton.js'
import { createEdgeProxy } from './index.js'
import { type Served, serve } from './serve.fixture.js'

declare const EdgeRuntime: string | undefined

const SECRET = 'edge-runtime-test-secret-0123456789abcdef'
const PATHS = { protected: ['/dashboard', '/api/me'] }
const AT = '__Host-baton.at'
const RT = '__Host-baton.rt'

function app(keys?: { sign: KeyedJwk }) {
  const clock = manualClock(Date.now())
  const baton = createBaton({
    store: new MemorySessionStore(),
    secret: SECRET,
    ...(keys ? { keys } : {}),
    clock,
    cookies: { secure: true },
    paths: PATHS,
    authenticate: async () => null,
  })
  /** A session started `ago` ms ago (server time), the server clock then brought back to now. */
  const session = async (ago: number) => {
    clock.set(Date.now() - ago)
    const issued = await baton.engine.signIn({ subject: 'user-ada', user: { id: 'user-ada' } })
    clock.set(Date.now())
    return issued
  }
  return { baton, clock, session }
}

describe('Edge proxy in the edge-runtime environment', () => {
  const hs = app()
  let server: Served
  beforeAll(async () => {
    server = await serve((request) => hs.baton.handlers.POST(request))
  })
  afterAll(async () => server.close())
  const request = (path: string, headers: Record<string, string> = {}) =>
    new NextRequest(new URL(path, server.origin), { headers })
  const proxy = createEdgeProxy({ secret: SECRET, paths: PATHS, cookies: { secure: true } })

  it('runs with the Edge runtime globals', () => {
    expect(typeof EdgeRuntime).toBe('string')
    expect(request('/x')).toBeInstanceOf(Request)
  })

  it('verifies HS256 access tokens (valid passes, expired or foreign is refused)', async () => {
    const fresh = await hs.session(0)
    const ok = await proxy(request('/dashboard', { cookie: `${AT}=${fresh.accessToken}` }))
    expect(ok.headers.get('x-middleware-next')).toBe('1')
    expect(ok.headers.getSetCookie()).toEqual([])

    const old = await hs.session(20 * 60_000)
    const expired = await proxy(request('/api/me', { authorization: `Bearer ${old.accessToken}` }))
    expect(expired.status).toBe(401)
    expect((await expired.json()).error.code).toBe('ERR_ACCESS_TOKEN_EXPIRED')

    const foreign = app()
    const other = createEdgeProxy({ secret: `${SECRET}-other`, paths: PATHS, cookies: { secure: true } })
    const refused = await other(request('/dashboard', { cookie: `${AT}=${(await foreign.session(0)).accessToken}` }))
    expect(refused.status).toBe(307)
    expect(new URL(refused.headers.get('location')!).searchParams.get('next')).toBe('/dashboard')
  })

  it('verifies EdDSA access tokens with the public key alone', async () => {
    const { privateJwk, publicJwk } = await generateSigningKey()
    const ed = app({ sign: privateJwk })
    const edProxy = createEdgeProxy({ publicKeys: [publicJwk], paths: PATHS, cookies: { secure: true } })
    const token = (await ed.session(0)).accessToken
    expect((await edProxy(request('/api/me', { authorization: `Bearer ${token}` }))).status).toBe(200)
    const hsToken = (await hs.session(0)).accessToken
    const refused = await edProxy(request('/api/me', { authorization: `Bearer ${hsToken}` }))
    expect((await refused.json()).error.code).toBe('ERR_ACCESS_TOKEN_INVALID')
  })

  it('refreshes through the refresh route with the Edge fetch, forwarding the cookies both ways', async () => {
    const old = await hs.session(20 * 60_000)
    const response = await proxy(
      request('/dashboard', { cookie: `${AT}=${old.accessToken}; ${RT}=${old.refreshToken}; theme=dark` }),
    )
    expect(response.headers.get('x-middleware-next')).toBe('1')
    const lines = response.headers.getSetCookie()
    expect(lines).toHaveLength(2)
    const newRefresh = /^__Host-baton\.rt=([^;]+)/.exec(lines.find((l) => l.startsWith(RT)) ?? '')?.[1]
    expect(newRefresh).toMatch(/^brt_/)
    expect(newRefresh).not.toBe(old.refreshToken)
    const forwarded = response.headers.get('x-middleware-request-cookie') ?? ''
    expect(forwarded).toContain(`${RT}=${newRefresh}`)
    expect(forwarded).toContain('theme=dark')
    expect(forwarded).not.toContain(old.refreshToken)
  })

  it('with devtools, reports what it did in Server-Timing and sets the redirect cookie', async () => {
    const reporting = createEdgeProxy({ secret: SECRET, paths: PATHS, cookies: { secure: true }, devtools: true })
    const fresh = await hs.session(0)
    const ok = await reporting(request('/dashboard', { cookie: `${AT}=${fresh.accessToken}` }))
    expect(ok.headers.get('server-timing')).toMatch(/^baton;dur=\d+\.\d;desc="verified:valid"$/)
    const visitor = await reporting(request('/dashboard'))
    expect(visitor.headers.get('server-timing')).toMatch(/;desc="redirected:ERR_UNAUTHENTICATED"$/)
    expect(visitor.headers.getSetCookie()).toEqual([expect.stringMatching(/^baton-devtools=%7B.+; Secure$/)])
    // Off by default here: this runtime is no `next dev`.
    expect((await proxy(request('/dashboard'))).headers.get('server-timing')).toBeNull()
  })

  it('answers 503 without clearing cookies when the refresh route is unreachable', async () => {
    const old = await hs.session(20 * 60_000)
    const down = await serve(async () => new Response(null))
    await down.close()
    const response = await proxy(
      new NextRequest(new URL('/api/me', down.origin), {
        headers: { cookie: `${AT}=${old.accessToken}; ${RT}=${old.refreshToken}` },
      }),
    )
    expect(response.status).toBe(503)
    expect((await response.json()).error.code).toBe('ERR_REFRESH_ROUTE_UNAVAILABLE')
    expect(response.headers.getSetCookie()).toEqual([])
  })
})
