/**
 * Issue 13 §5 and §7, on both proxies: the sign-in redirect is built on the
 * origin the browser used — never on `nextUrl`, which Next 15 derives from
 * the listening address (`http://localhost:3430`) — and CORS preflights pass
 * untouched. Requests here are built the way Next 15 builds them: the URL
 * names the listening address, the `Host` header what the browser asked for.
 */
import { MemorySessionStore } from '@baton/core'
import { NextRequest } from 'next/server'
import { describe, expect, it } from 'vitest'
import { createEdgeProxy } from '../edge/index.js'
import type { BatonSharedConfig } from '../shared-config.js'
import { SECRET, testBaton } from '../test-app.fixture.js'

const LISTENING = 'http://localhost:3430'
const PATHS = { protected: ['/dashboard', '/api/me'] }

type Proxy = (request: NextRequest) => Promise<Response>

const proxies: [string, (config: BatonSharedConfig) => Promise<Proxy>][] = [
  ['Node proxy', async (config) => (await testBaton(new MemorySessionStore(), config)).baton.proxy],
  ['Edge proxy', async (config) => createEdgeProxy({ secret: SECRET, cookies: { secure: true }, ...config })],
]

function request(path: string, headers: Record<string, string>, method = 'GET'): NextRequest {
  return new NextRequest(new URL(path, LISTENING), { method, headers })
}

describe.each(proxies)('%s: the sign-in redirect', (_, make) => {
  const location = async (config: BatonSharedConfig, headers: Record<string, string>): Promise<string | null> => {
    const proxy = await make({ paths: PATHS, ...config })
    const response = await proxy(request('/dashboard?tab=2', headers))
    expect(response.status).toBe(307)
    return response.headers.get('location')
  }
  const next = '/login?next=%2Fdashboard%3Ftab%3D2'

  it('goes to the Host the browser asked for, not to the listening address', async () => {
    expect(await location({ trustProxy: 0 }, { host: 'app.example.com' })).toBe(`http://app.example.com${next}`)
    expect(await location({ trustProxy: 0 }, { host: 'App.Example.com:8080' })).toBe(
      `http://app.example.com:8080${next}`,
    )
  })

  it('ignores X-Forwarded-Host and -Proto unless proxies are trusted (no open redirect)', async () => {
    const headers = { host: 'app.example.com', 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https' }
    expect(await location({ trustProxy: 0 }, headers)).toBe(`http://app.example.com${next}`)
  })

  it('with trustProxy, takes the host and scheme the outermost trusted proxy saw', async () => {
    const headers = { host: '127.0.0.1:3430', 'x-forwarded-host': 'app.example.com', 'x-forwarded-proto': 'https' }
    expect(await location({ trustProxy: 1 }, headers)).toBe(`https://app.example.com${next}`)
    // A client-sent value stays on the left of what the trusted proxy appended.
    const appended = { ...headers, 'x-forwarded-host': 'evil.example, app.example.com' }
    expect(await location({ trustProxy: 1 }, appended)).toBe(`https://app.example.com${next}`)
  })

  it('a configured publicOrigin wins over every header', async () => {
    const headers = { host: 'evil.example', 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'http' }
    const config = { trustProxy: 1, publicOrigin: 'https://app.example.com' }
    expect(await location(config, headers)).toBe(`https://app.example.com${next}`)
  })

  it.each([
    ['a path in Host', { host: 'app.example.com/evil' }],
    ['userinfo in Host', { host: 'user@evil.example' }],
    ['a space in Host', { host: 'app example.com' }],
    ['a port out of range', { host: 'app.example.com:99999' }],
    ['a trusted X-Forwarded-Host with a scheme', { host: 'a.test', 'x-forwarded-host': 'https://evil.example' }],
    ['a trusted X-Forwarded-Proto that is not http(s)', { host: 'a.test', 'x-forwarded-proto': 'javascript' }],
  ])('answers 400 JSON for %s, never a redirect or a 500', async (_, headers) => {
    const proxy = await make({ paths: PATHS, trustProxy: 1 })
    const response = await proxy(request('/dashboard', headers))
    expect(response.status).toBe(400)
    expect(response.headers.get('location')).toBeNull()
    expect(await response.json()).toEqual({ error: { code: 'ERR_BAD_REQUEST', message: expect.any(String) } })
  })
})

describe.each(proxies)('%s: CORS preflights', (_, make) => {
  it('lets OPTIONS with Access-Control-Request-Method through untouched on a protected API path', async () => {
    const proxy = await make({ paths: PATHS })
    const preflight = request(
      '/api/me',
      {
        host: 'app.example.com',
        origin: 'https://spa.example',
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'authorization',
      },
      'OPTIONS',
    )
    const response = await proxy(preflight)
    expect(response.status).toBe(200)
    expect(response.headers.get('x-middleware-next')).toBe('1')
    expect(response.headers.getSetCookie()).toEqual([])
  })

  it('still answers 401 to an OPTIONS that is not a preflight, and to the Bearer-less call itself', async () => {
    const proxy = await make({ paths: PATHS })
    expect((await proxy(request('/api/me', { host: 'app.example.com' }, 'OPTIONS'))).status).toBe(401)
    expect((await proxy(request('/api/me', { host: 'app.example.com', origin: 'https://spa.example' }))).status).toBe(
      401,
    )
  })
})
