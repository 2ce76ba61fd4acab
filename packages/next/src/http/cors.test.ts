/**
 * Issue 14 (React SPA): `cors` is validated at startup, and the app's own
 * routes get the same CORS answers through `baton.cors(handler)` and
 * `baton.preflight` — 401s included — as do the Node proxy's own 401s.
 */
import { ConfigError, MemorySessionStore } from '@baton/core'
import { resolveCors } from '@baton/core/internal'
import { withCors } from '@baton/core/server/edge'
import { NextRequest } from 'next/server'
import { describe, expect, it } from 'vitest'
import type { BatonOptions } from '../options.js'
import { request, testBaton } from '../test-app.fixture.js'

const SPA = 'http://localhost:5173'

const make = (overrides: Partial<BatonOptions> = { cors: { origins: [SPA] } }) =>
  testBaton(new MemorySessionStore(), overrides)

describe('cors option', () => {
  it.each([
    ['*', ['*']],
    ['"null"', ['null']],
    ['a host without scheme', ['localhost:5173']],
    ['a trailing slash', [`${SPA}/`]],
    ['a path', [`${SPA}/app`]],
    ['upper case', ['http://LOCALHOST:5173']],
    ['another scheme', ['ftp://files.example']],
    ['a non-string', [42 as unknown as string]],
    ['an empty list', []],
  ])('refuses %s at startup with a ConfigError', async (_, origins) => {
    await expect(make({ cors: { origins } })).rejects.toBeInstanceOf(ConfigError)
  })

  it('refuses a bad maxAge and a missing origins list', async () => {
    await expect(make({ cors: { origins: [SPA], maxAge: -1 } })).rejects.toBeInstanceOf(ConfigError)
    await expect(make({ cors: { origins: [SPA], maxAge: 1.5 } })).rejects.toBeInstanceOf(ConfigError)
    expect(() => resolveCors({ origins: [SPA], maxAge: 600_000 })).toThrow(
      /`cors.maxAge` is in seconds \(at most 86400\); got 600000\. Did you pass milliseconds\?/,
    )
    await expect(make({ cors: {} as never })).rejects.toBeInstanceOf(ConfigError)
  })

  it('keeps listed origins and defaults maxAge to 600', () => {
    const cors = resolveCors({ origins: [SPA, 'https://app.example.com:8443'] })
    expect([...(cors?.origins ?? [])]).toEqual([SPA, 'https://app.example.com:8443'])
    expect(cors?.maxAge).toBe(600)
    expect(resolveCors(undefined)).toBeNull()
  })
})

describe('baton.cors and baton.preflight on an app route', () => {
  it('adds the headers to withAuth 401s and successes for a listed origin', async () => {
    const { baton } = await make()
    const GET = baton.cors(baton.withAuth(async (_request, { auth }) => Response.json({ id: auth.subject })))
    const denied = await GET(request('/api/me', { headers: { origin: SPA } }), {})
    expect(denied.status).toBe(401)
    expect(denied.headers.get('access-control-allow-origin')).toBe(SPA)
    expect(denied.headers.get('access-control-allow-credentials')).toBe('true')
    expect(denied.headers.get('access-control-expose-headers')).toMatch(/WWW-Authenticate/)
    const issued = await baton.engine.signIn({ subject: 'u1', user: { id: 'u1' } })
    const ok = await GET(
      request('/api/me', { headers: { origin: SPA, authorization: `Bearer ${issued.accessToken}` } }),
      {},
    )
    expect(ok.status).toBe(200)
    expect(ok.headers.get('access-control-allow-origin')).toBe(SPA)
    expect(ok.headers.get('vary')).toBe('Origin')
  })

  it('gives an unlisted origin nothing, and strips an allow-origin the handler set', async () => {
    const { baton } = await make()
    const GET = baton.cors(async () => new Response('x', { headers: { 'access-control-allow-origin': '*' } }))
    const response = await GET(request('/api/public', { headers: { origin: 'http://evil.test' } }))
    expect(response.headers.get('access-control-allow-origin')).toBeNull()
    expect(response.headers.get('vary')).toBe('Origin')
    const listed = await GET(request('/api/public', { headers: { origin: SPA } }))
    expect(listed.headers.get('access-control-allow-origin')).toBe(SPA)
  })

  it('copies a response whose headers are immutable, and appends to an existing Vary', async () => {
    const cors = resolveCors({ origins: [SPA] })
    const redirected = withCors(
      cors,
      request('/x', { headers: { origin: SPA } }),
      Response.redirect('http://a.test/', 302),
    )
    expect(redirected.status).toBe(302)
    expect(redirected.headers.get('location')).toBe('http://a.test/')
    expect(redirected.headers.get('access-control-allow-origin')).toBe(SPA)
    const varied = withCors(cors, request('/x'), new Response(null, { headers: { vary: 'Accept' } }))
    expect(varied.headers.get('vary')).toBe('Accept, Origin')
  })

  it('answers the preflight of a listed origin 204, and of an unlisted one 204 without allow headers', async () => {
    const { baton } = await make()
    const init = (origin: string) => ({
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
    })
    const listed = await baton.preflight(request('/api/me', init(SPA)))
    expect(listed.status).toBe(204)
    expect(listed.headers.get('access-control-allow-origin')).toBe(SPA)
    expect(listed.headers.get('access-control-allow-methods')).toMatch(/\bGET\b.*\bDELETE\b/)
    expect(listed.headers.get('access-control-allow-headers')).toMatch(/Authorization/)
    const unlisted = await baton.preflight(request('/api/me', init('http://evil.test')))
    expect(unlisted.status).toBe(204)
    expect(unlisted.headers.get('access-control-allow-origin')).toBeNull()
    expect(unlisted.headers.get('access-control-allow-headers')).toBeNull()
  })

  it('adds nothing without the cors option', async () => {
    const { baton } = await make({})
    const GET = baton.cors(async () => new Response('x'))
    const response = await GET(request('/api/public', { headers: { origin: SPA } }))
    expect(response.headers.get('access-control-allow-origin')).toBeNull()
    expect(response.headers.get('vary')).toBeNull()
  })
})

describe('Node proxy with cors', () => {
  const next = (path: string, headers: Record<string, string>) =>
    new NextRequest(new URL(path, 'http://app.test'), { headers })

  it('its own 401 on a protected API path names a listed origin; a request passed on gets nothing twice', async () => {
    const { baton } = await make()
    const denied = await baton.proxy(next('/api/me', { origin: SPA }))
    expect(denied.status).toBe(401)
    expect(denied.headers.get('access-control-allow-origin')).toBe(SPA)
    const unlisted = await baton.proxy(next('/api/me', { origin: 'http://evil.test' }))
    expect(unlisted.headers.get('access-control-allow-origin')).toBeNull()
    const passed = await baton.proxy(next('/api/public', { origin: SPA }))
    expect(passed.headers.get('x-middleware-next')).toBe('1')
    expect(passed.headers.get('access-control-allow-origin')).toBeNull()
  })
})
