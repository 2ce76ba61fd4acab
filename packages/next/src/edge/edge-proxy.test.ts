import { readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ConfigError, generateSigningKey } from '@baton/core'
import { NextRequest } from 'next/server'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { BatonOptions } from '../options.js'
import { openSqliteFile, type SqlBackend, signedIn, tokenHash } from '../proxy/sql-backends.fixture.js'
import { SECRET, setCookies, testBaton } from '../test-app.fixture.js'
import { createEdgeProxy, type EdgeProxyOptions } from './index.js'
import { type Served, serve } from './serve.fixture.js'

const AT = '__Host-baton.at'
const RT = '__Host-baton.rt'
const PATHS = { protected: ['/dashboard', '/devices', '/api/me'] }
const MINUTE = 60_000

let backend: SqlBackend
beforeAll(() => {
  backend = openSqliteFile()
})
afterAll(async () => backend.close())

const servers: Served[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close().catch(() => undefined)))
})

/**
 * The app: its route handlers on a real HTTP server, and an Edge proxy
 * pointed at it. The server's clock is manual; the Edge proxy reads the real
 * one, so sessions are started in the past to get expired access tokens.
 */
async function app(overrides: Partial<BatonOptions> = {}, edge: Partial<EdgeProxyOptions> = {}) {
  const { baton, clock } = await testBaton(backend.store, overrides)
  const server = await serve((request) => baton.handlers[request.method as 'POST'](request))
  servers.push(server)
  const proxy = createEdgeProxy({ secret: SECRET, paths: PATHS, cookies: { secure: true }, ...edge })
  /** Signs in `ago` ms in the past (server time), then brings the server clock back to now. */
  const signInAgo = async (ago: number) => {
    clock.set(Date.now() - ago)
    const s = await signedIn(baton)
    clock.set(Date.now())
    return s
  }
  const request = (path: string, headers: Record<string, string> = {}) =>
    new NextRequest(new URL(path, server.origin), { headers })
  const refreshCalls = () => server.seen.filter((r) => r.path === '/api/auth/refresh')
  return { baton, clock, server, proxy, signInAgo, request, refreshCalls }
}

function expectUntouched(response: Response): void {
  expect(response.status).toBe(200)
  expect(response.headers.get('x-middleware-next')).toBe('1')
  expect(response.headers.getSetCookie()).toEqual([])
  expect(response.headers.get('x-middleware-override-headers')).toBeNull()
}

function forwarded(response: Response): Record<string, string> {
  expect(response.headers.get('x-middleware-override-headers')?.split(',')).toContain('cookie')
  const jar: Record<string, string> = {}
  for (const part of (response.headers.get('x-middleware-request-cookie') ?? '').split('; ')) {
    const eq = part.indexOf('=')
    jar[part.slice(0, eq)] = part.slice(eq + 1)
  }
  return jar
}

function expectCleared(response: Response): void {
  expect(setCookies(response)).toEqual({ [AT]: '', [RT]: '' })
  for (const line of response.headers.getSetCookie()) expect(line).toMatch(/Max-Age=0; .*Path=\/; HttpOnly.*; Secure/)
}

describe('Edge proxy: verification with jose', () => {
  it('HS256: accepts a token from the same secret, refuses one from another', async () => {
    const a = await app()
    const s = await a.signInAgo(0)
    expectUntouched(await a.proxy(a.request('/dashboard', { cookie: s.cookie({}, { refresh: false }) })))
    const other = createEdgeProxy({ secret: `${SECRET}-rotated-away`, paths: PATHS, cookies: { secure: true } })
    const refused = await other(a.request('/dashboard', { cookie: s.cookie({}, { refresh: false }) }))
    expect(refused.status).toBe(307)
    expectCleared(refused)
    // A secret list verifies with any of its secrets (rotation).
    const rotating = createEdgeProxy({ secret: ['x'.repeat(40), SECRET], paths: PATHS, cookies: { secure: true } })
    expectUntouched(await rotating(a.request('/dashboard', { cookie: s.cookie({}, { refresh: false }) })))
    expect(a.server.seen).toEqual([])
  })

  it('EdDSA: verifies with the public key only, and pins the algorithm', async () => {
    const { privateJwk, publicJwk } = await generateSigningKey({ kid: 'ed-1' })
    const a = await app({ keys: { sign: privateJwk } }, { secret: undefined, publicKeys: [publicJwk] })
    const s = await a.signInAgo(0)
    expect(s.access.split('.')[0]).toBe(
      Buffer.from(JSON.stringify({ alg: 'EdDSA', kid: 'ed-1', typ: 'at+jwt' })).toString('base64url'),
    )
    expectUntouched(await a.proxy(a.request('/api/me', { cookie: s.cookie({}, { refresh: false }) })))
    expectUntouched(await a.proxy(a.request('/api/me', { authorization: `Bearer ${s.access}` })))

    // Another key pair with the same kid: the signature does not verify.
    const impostor = await generateSigningKey({ kid: 'ed-1' })
    const wrongKey = createEdgeProxy({ publicKeys: [impostor.publicJwk], paths: PATHS, cookies: { secure: true } })
    const refused = await wrongKey(a.request('/api/me', { authorization: `Bearer ${s.access}` }))
    expect(refused.status).toBe(401)
    expect((await refused.json()).error.code).toBe('ERR_ACCESS_TOKEN_INVALID')

    // An HS256 token (even one signed with the secret the server also holds) is refused by an EdDSA proxy.
    const hs = await app()
    const hsToken = (await hs.signInAgo(0)).access
    const confused = await a.proxy(a.request('/api/me', { authorization: `Bearer ${hsToken}` }))
    expect(confused.status).toBe(401)
    expect((await confused.json()).error.code).toBe('ERR_ACCESS_TOKEN_INVALID')
  })

  it('reports an expired Bearer token as ERR_ACCESS_TOKEN_EXPIRED and never refreshes for it', async () => {
    const a = await app()
    const s = await a.signInAgo(20 * MINUTE)
    const response = await a.proxy(a.request('/api/me', { authorization: `Bearer ${s.access}`, cookie: s.cookie() }))
    expect(response.status).toBe(401)
    expect((await response.json()).error.code).toBe('ERR_ACCESS_TOKEN_EXPIRED')
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/)
    expect(a.refreshCalls()).toEqual([])
  })

  it('refuses to start without a way to verify', () => {
    expect(() => createEdgeProxy({ paths: PATHS })).toThrow(/secret|publicKeys/)
  })
})

describe('Edge proxy: refresh through the refresh route', () => {
  it('calls the refresh route once and forwards the new cookies to the page and the browser', async () => {
    const a = await app()
    const s = await a.signInAgo(20 * MINUTE)
    const response = await a.proxy(
      a.request('/dashboard?tab=1', {
        cookie: s.cookie({ theme: 'dark' }),
        'user-agent': 'EdgeTest/1.0',
        'x-forwarded-for': '198.51.100.7',
      }),
    )
    expect(response.status).toBe(200)
    expect(response.headers.get('x-middleware-next')).toBe('1')
    expect(response.headers.get('cache-control')).toBe('private, no-store')

    const calls = a.refreshCalls()
    expect(calls).toHaveLength(1)
    expect(calls[0]?.method).toBe('POST')
    // Only the refresh cookie goes to the route, with this app's origin (the route checks it).
    expect(calls[0]?.headers.get('cookie')).toBe(`${RT}=${s.refresh}`)
    // (NextURL spells 127.0.0.1 as localhost; the route compares Origin with Host.)
    expect(calls[0]?.headers.get('origin')).toBe(`http://${calls[0]?.headers.get('host')}`)
    expect(calls[0]?.headers.get('user-agent')).toBe('EdgeTest/1.0')

    const jar = setCookies(response)
    expect(Object.keys(jar).sort()).toEqual([AT, RT])
    expect(jar[RT]).not.toBe(s.refresh)
    for (const line of response.headers.getSetCookie()) {
      expect(line).toMatch(/; Path=\/; HttpOnly; SameSite=Lax; Secure$/)
      expect(line).toMatch(/Max-Age=\d+/)
    }
    expect(forwarded(response)).toEqual({ theme: 'dark', [AT]: jar[AT], [RT]: jar[RT] })
    // The page's own verification accepts what was forwarded.
    const verified = await a.baton.engine.verifyAccessToken(jar[AT])
    expect(verified.sessionId).toBe(s.issued.session.id)
    // The session recorded the browser's user agent, not the proxy's.
    expect((await backend.store.getSession(s.issued.session.id))?.userAgent).toBe('EdgeTest/1.0')
    expect(await backend.children(await tokenHash(s.refresh))).toEqual([{ hash: await tokenHash(jar[RT] as string) }])
  })

  it('refreshes within the leeway, but a 9 s token is not refreshed on every request', async () => {
    const a = await app()
    const near = await a.signInAgo(15 * MINUTE - 30_000) // 30 s left, leeway 60 s
    const refreshed = await a.proxy(a.request('/dashboard', { cookie: near.cookie() }))
    expect(setCookies(refreshed)[RT]).toMatch(/^brt_/)
    expect(a.refreshCalls()).toHaveLength(1)

    const short = await app({ accessTokenTtl: 9 })
    const s = await short.signInAgo(0)
    for (let i = 0; i < 3; i++) expectUntouched(await short.proxy(short.request('/dashboard', { cookie: s.cookie() })))
    expect(short.refreshCalls()).toEqual([])
    const late = await short.signInAgo(7_500) // ~1.5 s left of 9 s: inside the last third
    expect(setCookies(await short.proxy(short.request('/dashboard', { cookie: late.cookie() })))[RT]).toMatch(/^brt_/)
    expect(short.refreshCalls()).toHaveLength(1)
  })

  it('takes refreshLeeway and clockTolerance in seconds, as createBaton does, and refuses milliseconds', async () => {
    const a = await app({}, { refreshLeeway: 120 })
    const far = await a.signInAgo(15 * MINUTE - 130_000) // 130 s left: outside 120 s
    expectUntouched(await a.proxy(a.request('/dashboard', { cookie: far.cookie() })))
    const near = await a.signInAgo(15 * MINUTE - 100_000) // 100 s left: inside 120 s, outside the default 60
    expect(setCookies(await a.proxy(a.request('/dashboard', { cookie: near.cookie() })))[RT]).toMatch(/^brt_/)
    expect(a.refreshCalls()).toHaveLength(1)
    expect(() => createEdgeProxy({ secret: SECRET, refreshLeeway: 60_000 })).toThrow(
      /`refreshLeeway` is in seconds \(at most 3600\); got 60000\. Did you pass milliseconds\?/,
    )
    expect(() => createEdgeProxy({ secret: SECRET, clockTolerance: 5000 })).toThrow(/`clockTolerance` is in seconds/)
    expect(() => createEdgeProxy({ secret: SECRET, refreshLeeway: -1 })).toThrow(ConfigError)
  })

  it('gives ten parallel requests the same successor (one rotation in the store)', async () => {
    const a = await app()
    const s = await a.signInAgo(20 * MINUTE)
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => a.proxy(a.request('/dashboard', { cookie: s.cookie() }))),
    )
    const tokens = new Set(responses.map((r) => setCookies(r)[RT]))
    expect(tokens.size).toBe(1)
    expect([...tokens][0]).toMatch(/^brt_/)
    expect(await backend.children(await tokenHash(s.refresh))).toHaveLength(1)
  })

  it('clears the cookies when the route answers 401 ERR_REFRESH_TOKEN_REUSED', async () => {
    const a = await app()
    const s = await a.signInAgo(20 * MINUTE)
    await a.baton.engine.refresh({ refreshToken: s.refresh })
    a.clock.advance(11_000) // past the grace window
    const page = await a.proxy(a.request('/devices', { cookie: s.cookie() }))
    expect(page.status).toBe(307)
    expect(new URL(page.headers.get('location')!).pathname).toBe('/login')
    expect(new URL(page.headers.get('location')!).searchParams.get('next')).toBe('/devices')
    expectCleared(page)
    expect((await backend.store.getSession(s.issued.session.id))?.revokeReason).toBe('refresh_token_reused')

    const api = await a.proxy(a.request('/api/me', { cookie: s.cookie() }))
    expect(api.status).toBe(401)
    expect((await api.json()).error.code).toBe('ERR_SESSION_REVOKED')
    expect(api.headers.get('www-authenticate')).toMatch(/^Bearer /)
    expectCleared(api)
  })

  it('answers 503 when the refresh route is down, and never clears the cookies', async () => {
    const a = await app()
    const expired = await a.signInAgo(20 * MINUTE)
    const near = await a.signInAgo(15 * MINUTE - 30_000)
    await a.server.close()
    const api = await a.proxy(a.request('/api/me', { cookie: expired.cookie() }))
    expect(api.status).toBe(503)
    expect(api.headers.get('content-type')).toContain('application/json')
    expect(api.headers.get('retry-after')).toBe('5')
    expect((await api.json()).error.code).toBe('ERR_REFRESH_ROUTE_UNAVAILABLE')
    expect(api.headers.getSetCookie()).toEqual([])
    // A page navigation gets a page that reloads itself, not JSON; the cookies stay.
    const page = await a.proxy(a.request('/dashboard', { cookie: expired.cookie() }))
    expect(page.status).toBe(503)
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(page.headers.get('retry-after')).toBe('5')
    expect(page.headers.get('cache-control')).toBe('no-store')
    expect(await page.text()).toContain('<meta http-equiv="refresh" content="5">')
    expect(page.headers.getSetCookie()).toEqual([])
    // A token that is still valid is served as is.
    expectUntouched(await a.proxy(a.request('/dashboard', { cookie: near.cookie() })))
  })

  const odd: [string, () => Response][] = [
    [
      'an unknown error code',
      () => Response.json({ error: { code: 'ERR_FROM_THE_FUTURE', message: 'x' } }, { status: 401 }),
    ],
    ['a prototype key as code', () => Response.json({ error: { code: 'toString' } }, { status: 400 })],
    ['an HTML error page', () => new Response('<h1>Bad gateway</h1>', { status: 502 })],
    ['a 200 without cookies', () => Response.json({ ok: true })],
  ]
  for (const [name, answer] of odd) {
    it(`maps ${name} from the refresh route to ERR_REFRESH_ROUTE_UNAVAILABLE and keeps the cookies`, async () => {
      const { baton, clock } = await testBaton(backend.store)
      const server = await serve(async () => answer())
      servers.push(server)
      clock.set(Date.now() - 20 * MINUTE)
      const s = await signedIn(baton)
      const proxy = createEdgeProxy({ secret: SECRET, paths: PATHS, cookies: { secure: true } })
      const api = await proxy(new NextRequest(new URL('/api/me', server.origin), { headers: { cookie: s.cookie() } }))
      expect(api.status).toBe(503)
      expect((await api.json()).error.code).toBe('ERR_REFRESH_ROUTE_UNAVAILABLE')
      expect(api.headers.getSetCookie()).toEqual([])
      expect(server.seen).toHaveLength(1)
    })
  }

  it('never intercepts its own refresh route or other auth routes', async () => {
    const a = await app({}, { paths: { protected: ['/'] } })
    for (const path of ['/api/auth/refresh', '/api/auth/login', '/api/auth']) {
      expectUntouched(await a.proxy(a.request(path, { cookie: `${RT}=brt_x` })))
    }
    expect(a.server.seen).toEqual([])
  })
})

/**
 * The Edge entry's module graph as a bundler walks it: every value import
 * (type-only ones are erased), from `edge/index.ts` through the next sources
 * into core's. `importers` maps each bare specifier to the files importing it.
 */
function edgeGraph(): {
  seen: Set<string>
  external: Set<string>
  importers: Map<string, string[]>
  src: string
} {
  const here = dirname(fileURLToPath(import.meta.url))
  const src = resolve(here, '..')
  const roots = [join(here, 'index.ts')]
  const seen = new Set<string>()
  const external = new Set<string>()
  const importers = new Map<string, string[]>()
  const core = resolve(here, '../../../core/src')
  while (roots.length > 0) {
    const file = roots.pop() as string
    if (seen.has(file)) continue
    seen.add(file)
    const source = readFileSync(file, 'utf8')
    for (const [, , spec] of source.matchAll(
      /(?:^|\n)\s*(?:import|export)(?!\s+type\b)[^'"]*?from\s+(['"])([^'"]+)\1/g,
    )) {
      if (!spec) continue
      if (!spec.startsWith('.')) importers.set(spec, [...(importers.get(spec) ?? []), file])
      if (spec.startsWith('.')) roots.push(resolve(dirname(file), spec.replace(/\.js$/, '.ts')))
      else if (spec === '@baton/core') roots.push(join(core, 'index.ts'))
      else if (spec === '@baton/core/verify') roots.push(join(core, 'verify.ts'))
      else if (spec === '@baton/core/server/edge') roots.push(join(core, 'server/edge.ts'))
      // Core's subpath imports, as the edge-light/worker conditions resolve them (node: gets the .node.ts files).
      else if (spec === '#jwt-verifier') roots.push(join(core, 'jwt-verifier.ts'))
      else if (spec === '#crypto-ops') roots.push(join(core, 'crypto-ops.ts'))
      else external.add(spec)
    }
  }
  return { seen, external, importers, src }
}

describe('Edge entry', () => {
  it('imports nothing from Node (no node: modules, no Node-only packages) in its module graph', () => {
    const { seen, external } = edgeGraph()
    expect(seen.size).toBeGreaterThan(10)
    expect([...seen].some((f) => f.endsWith('context.ts') || f.endsWith('passwords.ts'))).toBe(false)
    // jose only by its JWS/JWT/key subpaths: its index pulls in JWE, whose `CompressionStream`
    // makes Next 15's webpack warn on every build of an app with Edge middleware (issue 14).
    expect([...external].sort()).toEqual([
      'jose/errors',
      'jose/jws/compact/sign',
      'jose/jws/compact/verify',
      'jose/jwt/verify',
      'jose/key/export',
      'jose/key/generate/keypair',
      'jose/key/import',
      'next/server.js',
    ])
  })

  it('takes its core imports from the narrow @baton/core/verify entry', () => {
    const source = readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'edge-proxy.ts'), 'utf8')
    expect(source).toContain("from '@baton/core/verify'")
    expect(source).not.toMatch(/from '@baton\/core'/)
  })

  it('reaches core through @baton/core/verify and @baton/core/server/edge only: nothing imports the full index or the server layer', () => {
    const { importers, seen, src } = edgeGraph()
    const full = (importers.get('@baton/core') ?? []).map((f) => relative(src, f)).sort()
    expect(full).toEqual([])
    expect(importers.get('@baton/core/server')).toBeUndefined()
    expect(importers.get('@baton/core/verify')?.length).toBeGreaterThanOrEqual(2)
    expect(importers.get('@baton/core/server/edge')?.length).toBeGreaterThanOrEqual(3)
    // The server layer's Edge part reaches none of its store- or engine-side modules.
    const serverFiles = [...seen].filter((f) => f.includes('/core/src/server/')).map((f) => relative(src, f))
    expect(serverFiles.length).toBeGreaterThanOrEqual(5)
    expect(
      serverFiles.filter((f) => /context|create-auth-server|operations\/(sign|refresh|session)|upstream\//.test(f)),
    ).toEqual([])
  })
})
