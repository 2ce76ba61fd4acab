import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { type AddressInfo, connect } from 'node:net'
import { apiResolver } from 'next/dist/server/api-utils/node/api-resolver.js'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import type { Baton } from '../create-baton.js'
import { openSqliteFile, type SqlBackend, signedIn, tokenHash } from '../proxy/sql-backends.fixture.js'
import { PASSWORD, setCookies, testBaton } from '../test-app.fixture.js'

const AT = '__Host-baton.at'
const RT = '__Host-baton.rt'

let backend: SqlBackend
beforeAll(() => {
  backend = openSqliteFile()
})
afterAll(async () => backend.close())

const closers: (() => Promise<void>)[] = []
afterEach(async () => {
  vi.restoreAllMocks()
  await Promise.all(closers.splice(0).map((close) => close()))
})

/**
 * A Pages Router app on node:http: `pages/api/auth/[...baton].ts` runs through
 * Next's own API resolver (its body parser on or off), and `/page` stands for
 * a page whose `getServerSideProps` calls `getSession` after setting a cookie
 * of its own. `/page` echoes the request body it can still read afterwards.
 */
async function pagesApp(baton: Baton, { bodyParser }: { bodyParser: boolean }) {
  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    if (req.url?.startsWith('/api/auth/')) {
      const route = { default: baton.pages.handler, config: { api: { bodyParser } } }
      const context = { previewModeId: 'x', previewModeEncryptionKey: 'x', previewModeSigningKey: 'x', dev: false }
      await apiResolver(req, res, {}, route, context, false)
      return
    }
    try {
      res.setHeader('set-cookie', 'theme=dark; Path=/')
      const session = await baton.pages.getSession({ req, res })
      const chunks: Buffer[] = []
      for await (const chunk of req) chunks.push(chunk as Buffer)
      res.setHeader('content-type', 'application/json')
      res.end(JSON.stringify({ session, body: Buffer.concat(chunks).toString() }))
    } catch (error) {
      res.statusCode = 500
      res.end(JSON.stringify({ thrown: (error as { code?: string }).code ?? String(error) }))
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  )
  const call = (path: string, init: { method?: string; cookie?: string; json?: unknown; body?: string } = {}) => {
    const headers: Record<string, string> = { origin }
    if (init.cookie) headers.cookie = init.cookie
    if (init.json !== undefined) headers['content-type'] = 'application/json'
    const body = init.json !== undefined ? JSON.stringify(init.json) : init.body
    return fetch(`${origin}${path}`, { method: init.method ?? (body ? 'POST' : 'GET'), headers, body })
  }
  return { origin, call }
}

for (const bodyParser of [true, false]) {
  describe(`baton.pages.handler with Next's body parser ${bodyParser ? 'on' : 'off'}`, () => {
    it('signs in, refreshes and signs out, each Set-Cookie on its own line', async () => {
      const { baton } = await testBaton(backend.store)
      const { call } = await pagesApp(baton, { bodyParser })
      const login = await call('/api/auth/login', { json: { email: 'ada@example.com', password: PASSWORD } })
      expect(login.status).toBe(200)
      expect(login.headers.get('cache-control')).toBe('no-store')
      expect(login.headers.get('content-type')).toContain('application/json')
      expect((await login.json()).user).toEqual({ id: 'user-ada', email: 'ada@example.com', name: 'Ada' })
      expect(login.headers.getSetCookie()).toHaveLength(2)
      const jar = setCookies(login)
      expect(Object.keys(jar).sort()).toEqual([AT, RT])

      const refreshed = await call('/api/auth/refresh', { method: 'POST', cookie: `${RT}=${jar[RT]}` })
      expect(refreshed.status).toBe(200)
      expect(refreshed.headers.getSetCookie()).toHaveLength(2)
      const jar2 = setCookies(refreshed)
      expect(jar2[RT]).not.toBe(jar[RT])
      expect(await backend.children(await tokenHash(jar[RT] as string))).toHaveLength(1)

      const logout = await call('/api/auth/logout', { json: { everywhere: false }, cookie: `${RT}=${jar2[RT]}` })
      expect(logout.status).toBe(200)
      expect(await logout.json()).toEqual({ ok: true, revoked: 1 })
      expect(setCookies(logout)).toEqual({ [AT]: '', [RT]: '' })
      const after = await call('/api/auth/refresh', { method: 'POST', cookie: `${RT}=${jar2[RT]}` })
      expect(after.status).toBe(401)
      expect((await after.json()).error.code).toBe('ERR_SESSION_REVOKED')
    })

    it('answers wrong credentials, bad bodies and wrong methods as the App Router routes do', async () => {
      const { baton } = await testBaton(backend.store)
      const { call } = await pagesApp(baton, { bodyParser })
      const wrong = await call('/api/auth/login', { json: { email: 'ada@example.com', password: 'nope' } })
      expect(wrong.status).toBe(401)
      expect((await wrong.json()).error.code).toBe('ERR_INVALID_CREDENTIALS')
      expect(wrong.headers.getSetCookie()).toEqual([])
      const notObject = await call('/api/auth/login', { json: ['ada@example.com'] })
      expect(notObject.status).toBe(400)
      const get = await call('/api/auth/login')
      expect(get.status).toBe(405)
      expect(get.headers.get('allow')).toBe('POST')
      const empty = await call('/api/auth/logout', { method: 'POST' })
      expect(empty.status).toBe(200)
    })
  })
}

describe('baton.pages.handler with the body parser off', () => {
  it('refuses a body over maxBodyBytes with 413, with or without Content-Length', async () => {
    const { baton } = await testBaton(backend.store, { maxBodyBytes: 1024 })
    const { origin, call } = await pagesApp(baton, { bodyParser: false })
    const big = await call('/api/auth/login', { json: { email: 'ada@example.com', password: 'x'.repeat(5000) } })
    expect(big.status).toBe(413)
    expect((await big.json()).error.code).toBe('ERR_PAYLOAD_TOO_LARGE')
    // Chunked, no Content-Length, 64 MB: the 413 comes after reading just past the limit, long
    // before the upload ends (an adapter that buffered it all would answer only at the end).
    const chunk = new TextEncoder().encode('x'.repeat(16_384))
    let sent = 0
    const huge = new ReadableStream<Uint8Array>({
      async pull(controller) {
        await new Promise((resolve) => setImmediate(resolve))
        if (sent === 4096) return controller.close()
        controller.enqueue(sent++ === 0 ? new TextEncoder().encode('{"email":"ada@example.com","password":"') : chunk)
      },
    })
    const upload = new AbortController()
    const chunked = await fetch(`${origin}/api/auth/login`, {
      method: 'POST',
      headers: { origin, 'content-type': 'application/json' },
      body: huge,
      duplex: 'half',
      signal: upload.signal,
    } as RequestInit)
    const sentWhenAnswered = sent
    expect(chunked.status).toBe(413)
    expect((await chunked.json()).error.code).toBe('ERR_PAYLOAD_TOO_LARGE')
    upload.abort()
    expect(sentWhenAnswered).toBeLessThan(4096)
  })

  it('answers a Host header that forms no URL with 400 JSON, not a 500', async () => {
    const { baton } = await testBaton(backend.store)
    const { origin } = await pagesApp(baton, { bodyParser: false })
    const { port } = new URL(origin)
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1', () => {
        socket.end('GET /api/auth/session HTTP/1.1\r\nHost: a b\r\nConnection: close\r\n\r\n')
      })
      let data = ''
      socket.on('data', (d) => {
        data += d
      })
      socket.on('end', () => resolve(data))
      socket.on('error', reject)
    })
    expect(raw).toMatch(/^HTTP\/1\.1 400 /)
    expect(raw).toContain('ERR_BAD_REQUEST')
  })
})

describe('baton.pages.getSession({ req, res })', () => {
  it('returns the session of a valid access cookie without setting cookies', async () => {
    const { baton } = await testBaton(backend.store)
    const s = await signedIn(baton)
    const { call } = await pagesApp(baton, { bodyParser: true })
    const page = await call('/page', { cookie: s.cookie() })
    const { session } = await page.json()
    expect(session).toMatchObject({ subject: 'user-ada', sessionId: s.issued.session.id, accessToken: s.access })
    expect(session.user).toEqual({ id: 'user-ada', email: 'ada@example.com', name: 'Ada' })
    expect(page.headers.getSetCookie()).toEqual(['theme=dark; Path=/'])
  })

  it('refreshes an expired access token and sets the new cookies next to the page’s own', async () => {
    const { baton, clock } = await testBaton(backend.store)
    const s = await signedIn(baton)
    clock.advance(20 * 60_000)
    const { call } = await pagesApp(baton, { bodyParser: true })
    const page = await call('/page', { cookie: s.cookie() })
    const { session } = await page.json()
    const jar = setCookies(page)
    expect(Object.keys(jar).sort()).toEqual([AT, RT, 'theme'].sort())
    expect(jar[RT]).not.toBe(s.refresh)
    expect(session.accessToken).toBe(jar[AT])
    expect(session.sessionId).toBe(s.issued.session.id)
    expect(session.expiresAt).toBeGreaterThan(clock.now())
    for (const line of page.headers.getSetCookie().filter((l) => l.startsWith('__Host-'))) {
      expect(line).toMatch(/; Path=\/; HttpOnly; SameSite=Lax; Secure$/)
    }
  })

  it('refreshes when the access cookie is missing, and leaves a request body unread', async () => {
    const { baton } = await testBaton(backend.store)
    const s = await signedIn(baton)
    const { call } = await pagesApp(baton, { bodyParser: false })
    const page = await call('/page', { cookie: s.cookie({}, { access: false }), body: 'a=1&b=2' })
    const result = await page.json()
    expect(result.session.sessionId).toBe(s.issued.session.id)
    expect(result.body).toBe('a=1&b=2')
  })

  it('clears the cookies and returns null when the refresh fails for good', async () => {
    const { baton, clock } = await testBaton(backend.store)
    const s = await signedIn(baton)
    await baton.engine.signOut({ refreshToken: s.refresh })
    clock.advance(20 * 60_000)
    const { call } = await pagesApp(baton, { bodyParser: true })
    for (const cookie of [s.cookie(), `${RT}=brt_${'x'.repeat(43)}`]) {
      const page = await call('/page', { cookie })
      expect((await page.json()).session).toBeNull()
      expect(setCookies(page)).toEqual({ theme: 'dark', [AT]: '', [RT]: '' })
    }
  })

  it('returns null without touching cookies when there are none', async () => {
    const { baton } = await testBaton(backend.store)
    const { call } = await pagesApp(baton, { bodyParser: true })
    const page = await call('/page', { cookie: 'theme=light' })
    expect((await page.json()).session).toBeNull()
    expect(page.headers.getSetCookie()).toEqual(['theme=dark; Path=/'])
  })

  it('throws ERR_STORE_UNAVAILABLE on a store outage, and signs nobody out', async () => {
    const { baton, clock } = await testBaton(backend.store)
    const s = await signedIn(baton)
    clock.advance(20 * 60_000)
    vi.spyOn(backend.store, 'findRefreshToken').mockRejectedValue(new Error('ECONNRESET'))
    const { call } = await pagesApp(baton, { bodyParser: true })
    const page = await call('/page', { cookie: s.cookie() })
    expect(page.status).toBe(500)
    expect((await page.json()).thrown).toBe('ERR_STORE_UNAVAILABLE')
    expect(page.headers.getSetCookie()).toEqual(['theme=dark; Path=/'])
  })
})
