/**
 * The Edge entry bundled (with jose, @baton/core and next/server, as Next's
 * edge compiler would) and run inside a real EdgeVM: Web APIs only, no
 * `require`, no `Buffer`, no Node `process`. The app server it refreshes
 * against runs in Node, as in production.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { EdgeVM } from '@edge-runtime/vm'
import type { NextRequest } from 'next/server'
import { build } from 'tsdown'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openSqliteFile, type SqlBackend, signedIn, tokenHash } from '../proxy/sql-backends.fixture.js'
import { SECRET, setCookies, testBaton } from '../test-app.fixture.js'
import type { EdgeProxyOptions } from './index.js'
import { type Served, serve } from './serve.fixture.js'

const AT = '__Host-baton.at'
const RT = '__Host-baton.rt'
const OPTIONS: EdgeProxyOptions = {
  secret: SECRET,
  paths: { protected: ['/dashboard', '/api/me'] },
  cookies: { secure: true },
}

interface EdgeBundle {
  createEdgeProxy(options: EdgeProxyOptions): (request: NextRequest) => Promise<Response>
  NextRequest: new (url: string, init?: { headers?: Record<string, string> }) => NextRequest
}

/** Bundles `src/edge/index.ts` into one IIFE script (into node_modules/.cache, git-ignored). */
const pkg = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const dir = join(pkg, 'node_modules/.cache/baton-edge-vm', String(process.pid))

async function bundle(): Promise<string> {
  mkdirSync(dir, { recursive: true })
  const entry = join(dir, 'entry.ts')
  const source = join(pkg, 'src/edge/index.ts')
  writeFileSync(
    entry,
    `export { createEdgeProxy } from ${JSON.stringify(source)}\nexport { NextRequest } from 'next/server'\n`,
  )
  await build({
    config: false,
    cwd: pkg,
    entry: { edge: entry },
    format: 'iife',
    globalName: 'BatonEdge',
    platform: 'browser',
    outDir: join(dir, 'out'),
    dts: false,
    noExternal: [/.*/],
    inlineOnly: false,
    inputOptions: {
      resolve: { conditionNames: ['@baton/source', 'edge-light', 'worker', 'browser', 'import', 'default'] },
    },
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'error',
  })
  return readFileSync(join(dir, 'out/edge.iife.js'), 'utf8')
}

/** An EdgeVM with what Next's edge sandbox adds: a `process` with only `env`, a `require` that refuses. */
function edgeVm(code: string): EdgeBundle {
  const vm = new EdgeVM({
    extend(context) {
      const refuse = (name: string) => () => {
        throw new Error(`A Node.js API is used (${name}) which is not supported in the Edge Runtime.`)
      }
      Object.assign(context, {
        process: { env: { NODE_ENV: 'production' }, nextTick: refuse('process.nextTick'), cwd: refuse('process.cwd') },
        require: refuse('require'),
        // Next's edge compiler replaces __dirname in its own precompiled modules; so does this.
        __dirname: '/',
      })
      return context
    },
  })
  expect(vm.evaluate('typeof Buffer')).toBe('undefined')
  expect(vm.evaluate('typeof setImmediate')).toBe('undefined')
  vm.evaluate(code)
  return vm.context.BatonEdge as EdgeBundle
}

describe('Edge entry inside an EdgeVM', () => {
  let edge: EdgeBundle
  let backend: SqlBackend
  let server: Served
  let app: Awaited<ReturnType<typeof testBaton>>
  beforeAll(async () => {
    const code = await bundle()
    expect(code).not.toMatch(/\brequire\(["']node:|\bfrom ["']node:/)
    edge = edgeVm(code)
    backend = openSqliteFile()
    app = await testBaton(backend.store)
    server = await serve((request) => app.baton.handlers.POST(request))
  })
  afterAll(async () => {
    await server?.close()
    await backend?.close()
    rmSync(dir, { recursive: true, force: true })
  })
  const request = (path: string, headers: Record<string, string> = {}) =>
    new edge.NextRequest(new URL(path, server.origin).href, { headers })
  const sessionAgo = async (ago: number) => {
    app.clock.set(Date.now() - ago)
    const s = await signedIn(app.baton)
    app.clock.set(Date.now())
    return s
  }

  it('verifies access tokens and redirects without one', async () => {
    const proxy = edge.createEdgeProxy(OPTIONS)
    const s = await sessionAgo(0)
    const ok = await proxy(request('/dashboard', { cookie: `${AT}=${s.access}` }))
    expect(ok.headers.get('x-middleware-next')).toBe('1')
    const none = await proxy(request('/dashboard?tab=2'))
    expect(none.status).toBe(307)
    expect(new URL(none.headers.get('location') as string).searchParams.get('next')).toBe('/dashboard?tab=2')
    const expired = await proxy(
      request('/api/me', { authorization: `Bearer ${(await sessionAgo(20 * 60_000)).access}` }),
    )
    expect(expired.status).toBe(401)
    expect((await expired.json()).error.code).toBe('ERR_ACCESS_TOKEN_EXPIRED')
  })

  it('refreshes through the real refresh route and forwards the cookies both ways', async () => {
    const proxy = edge.createEdgeProxy(OPTIONS)
    const s = await sessionAgo(20 * 60_000)
    const response = await proxy(request('/dashboard', { cookie: s.cookie({ theme: 'dark' }) }))
    expect(response.headers.get('x-middleware-next')).toBe('1')
    const jar = setCookies(response)
    expect(jar[RT]).toMatch(/^brt_/)
    expect(jar[RT]).not.toBe(s.refresh)
    const forwarded = response.headers.get('x-middleware-request-cookie') as string
    expect(forwarded.split('; ').sort()).toEqual([`${AT}=${jar[AT]}`, `${RT}=${jar[RT]}`, 'theme=dark'].sort())
    expect(await backend.children(await tokenHash(s.refresh))).toEqual([{ hash: await tokenHash(jar[RT] as string) }])
  })

  it('answers 503 and keeps the cookies when the refresh route is unreachable', async () => {
    const proxy = edge.createEdgeProxy(OPTIONS)
    const s = await sessionAgo(20 * 60_000)
    const down = await serve(async () => new Response(null))
    await down.close()
    const response = await proxy(new edge.NextRequest(`${down.origin}/api/me`, { headers: { cookie: s.cookie() } }))
    expect(response.status).toBe(503)
    expect(response.headers.getSetCookie()).toEqual([])
  })
})
