/**
 * What the unit tests prove with fake requests, proved again against a real
 * `next build && next start` of `fixture/` (see `fixture.setup.ts`): the
 * proxy's same-request refresh, CVE-2025-29927 header tricks, the route
 * handlers, `withAuth`, a server-action sign-in without JavaScript, and the
 * Pages Router helpers. Requests are plain `fetch` with hand-kept cookies.
 *
 * Twice: with Cache Components (and Partial Prefetching) on, as Next 16 sets
 * up new apps, and with them off — the same app, built apart (issue 14: a
 * clean build, no `Date.now()` while prerendering, no `[baton]` error for
 * Next's own control flow, the session read in the root layout).
 */
import { deriveSecret, hmacKeySet, signAccessToken } from '@baton/core/internal'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  CACHE_COMPONENTS_OFF,
  FIXTURE_DIR,
  type FixtureServer,
  type FixtureVariant,
  startFixtureServer,
} from '../fixture.setup.js'
import { hostRequest } from './host-request.fixture.js'

const EMAIL = 'ada@example.com'
const PASSWORD = 'correct-horse-battery-staple'
const AT = 'baton.at'
const RT = 'baton.rt'

const VARIANTS: [string, FixtureVariant][] = [
  ['Cache Components on', {}],
  ['Cache Components off', CACHE_COMPONENTS_OFF],
]

let server: FixtureServer

type Jar = Record<string, string>

/** `fetch` against the fixture: never follows redirects, sends `cookies`, same-origin `Origin` on writes. */
function call(path: string, init: RequestInit & { cookies?: Jar; json?: unknown } = {}): Promise<Response> {
  const headers = new Headers(init.headers)
  const method = init.method ?? 'GET'
  if (method !== 'GET' && method !== 'HEAD' && !headers.has('origin')) headers.set('origin', server.origin)
  if (init.cookies) {
    headers.set(
      'cookie',
      Object.entries(init.cookies)
        .map(([name, value]) => `${name}=${value}`)
        .join('; '),
    )
  }
  let body = init.body
  if (init.json !== undefined) {
    headers.set('content-type', 'application/json')
    body = JSON.stringify(init.json)
  }
  return fetch(new URL(path, server.origin), { ...init, method, headers, body, redirect: 'manual' })
}

/** The cookies a response sets, by name ('' for a deletion). */
function setCookies(response: Response): Jar {
  const jar: Jar = {}
  for (const line of response.headers.getSetCookie()) {
    const [pair = ''] = line.split(';')
    const eq = pair.indexOf('=')
    jar[pair.slice(0, eq).trim()] = pair.slice(eq + 1).trim()
  }
  return jar
}

/** Where a redirect points, as a same-origin path (Next.js sends same-origin locations relative). */
function location(response: Response): string | null {
  const value = response.headers.get('location')
  if (value === null) return null
  const url = new URL(value, server.origin)
  return url.origin === server.origin ? `${url.pathname}${url.search}` : url.href
}

/** The text of the element with `data-testid`, as the server rendered it. */
function testId(html: string, id: string): string | undefined {
  return new RegExp(`data-testid="${id}"[^>]*>([^<]*)<`).exec(html)?.[1]
}

interface SignedIn {
  jar: Jar
  sessionId: string
  accessToken: string
  user: Record<string, unknown>
}

async function signIn(basePath = '/api/auth'): Promise<SignedIn> {
  const response = await call(`${basePath}/login`, { method: 'POST', json: { email: EMAIL, password: PASSWORD } })
  expect(response.status, server.logs()).toBe(200)
  const body = (await response.json()) as {
    accessToken: string
    session: { id: string }
    user: Record<string, unknown>
  }
  const jar = setCookies(response)
  expect(jar[AT]).toBe(body.accessToken)
  expect(jar[RT]).toMatch(/^brt_/)
  return { jar, sessionId: body.session.id, accessToken: body.accessToken, user: body.user }
}

/**
 * An access token signed with the server's own secret and issuer for a real
 * session, `expiresIn` seconds from now (negative: already expired) — an
 * authentic token, so only its expiry can make the server refuse it.
 */
async function accessToken(session: SignedIn, expiresIn: number): Promise<string> {
  const keys = hmacKeySet([await deriveSecret(server.secret)])
  const now = Date.now()
  return signAccessToken(
    keys,
    { issuer: 'baton', audience: 'baton', clockTolerance: 5 },
    {
      subject: 'user-ada',
      sessionId: session.sessionId,
      claims: { user: session.user },
      issuedAt: now - 20 * 60_000,
      expiresAt: now + expiresIn * 1000,
    },
  )
}

/** A server-rendered form as a browser without JavaScript sees it. */
function parseForm(html: string): { action: string; method: string; enctype: string; fields: [string, string][] } {
  const form = /<form\b([^>]*)>([\s\S]*?)<\/form>/i.exec(html)
  if (!form) throw new Error(`no <form> in:\n${html}`)
  const attributes = (tag: string) => {
    const found: Record<string, string> = {}
    for (const m of tag.matchAll(/([A-Za-z_:$][-\w:.$]*)="([^"]*)"/g)) found[m[1]!.toLowerCase()] = decode(m[2]!)
    return found
  }
  const own = attributes(form[1]!)
  const fields: [string, string][] = []
  for (const input of form[2]!.matchAll(/<input\b([^>]*?)\/?>/gi)) {
    const a = attributes(input[1]!)
    if (a.name && a.type === 'hidden') fields.push([a.name, a.value ?? ''])
  }
  return { action: own.action ?? '', method: (own.method ?? 'GET').toUpperCase(), enctype: own.enctype ?? '', fields }
}

function decode(value: string): string {
  return value
    .replace(/&quot;/g, '"')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
}

/** Fetches the login page and posts its form the way a browser without JavaScript would. */
async function postLoginForm(page: string, credentials: { email: string; password: string }, origin = server.origin) {
  const html = await (await call(page)).text()
  const form = parseForm(html)
  expect(form.method).toBe('POST')
  expect(form.enctype).toBe('multipart/form-data')
  expect(form.fields.some(([name]) => name.startsWith('$ACTION_ID_'))).toBe(true)
  const body = new FormData()
  for (const [name, value] of form.fields) body.append(name, value)
  body.append('email', credentials.email)
  body.append('password', credentials.password)
  const target = new URL(form.action, new URL(page, server.origin))
  return call(`${target.pathname}${target.search}`, { method: 'POST', body, headers: { origin } })
}

describe.each(VARIANTS)('%s', (name, variant) => {
  beforeAll(async () => {
    server = await startFixtureServer(FIXTURE_DIR, variant)
    const { packages, nextBuild, start } = server.timings
    console.info(
      `[fixture, ${name}] tsdown ${packages} ms, next build ${nextBuild} ms, next start ${start} ms (0 = up to date)`,
    )
  }, 300_000)

  afterAll(async () => {
    await server?.stop()
  })

  describe('next build', () => {
    const on = variant === VARIANTS[0]?.[1]

    it('is clean: no [baton] line, no Date.now() or request data during prerendering, no warning', () => {
      const log = server.buildLog()
      expect(log).toMatch(/Compiled successfully/)
      // Was: `[baton] unexpected error while handling an auth request … NEXT_PRERENDER_INTERRUPTED` (withAuth).
      expect(log).not.toContain('[baton]')
      expect(log).not.toMatch(
        /unstable value|uncached or runtime data|needs to bail out of prerendering|NEXT_PRERENDER/,
      )
      // Next's own CI notice (CI=true, no .next/cache in a fresh clone) is about the machine, not the app.
      const warnings = log.split('\n').filter((line) => !line.includes('No build cache found'))
      expect(warnings.join('\n')).not.toMatch(/^\s*(⚠|Error)/m)
    })

    it(`prerenders the shells of the pages that read the session ${on ? 'with' : 'without'} Cache Components`, () => {
      const log = server.buildLog()
      expect(log.includes('Cache Components enabled')).toBe(on)
      // ◐: a static shell with the session streamed in; ƒ: rendered on demand.
      for (const page of ['/_not-found', '/dashboard', '/login'])
        expect(log).toMatch(new RegExp(`${on ? '◐' : 'ƒ'} ${page}\\b`))
    })
  })

  describe('next start: the session in the root layout, inside <Suspense>', () => {
    it('is read on every page: signed in, signed out, and on a 404', async () => {
      const session = await signIn()
      const dashboard = await call('/dashboard', { cookies: session.jar })
      expect(dashboard.status).toBe(200)
      expect(testId(await dashboard.text(), 'layout-subject')).toBe('user-ada')
      const login = await call('/login')
      expect(login.status).toBe(200)
      expect(testId(await login.text(), 'layout-subject')).toBe('signed out')
      const missing = await call('/no-such-page', { cookies: session.jar })
      expect(missing.status).toBe(404)
      expect(testId(await missing.text(), 'layout-subject')).toBe('user-ada')
    })

    it('requireSession() inside <Suspense> renders for a session and sends a visitor to sign in', async () => {
      const session = await signIn()
      const page = await call('/account', { cookies: session.jar })
      expect(page.status).toBe(200)
      expect(testId(await page.text(), 'account-subject')).toBe('user-ada')
      // Inside <Suspense> the shell has gone out (200) before the redirect: Next sends it in the stream,
      // as a refresh <meta> (no JavaScript needed) and to the router.
      const visitor = await call('/account')
      expect(visitor.status).toBe(200)
      const html = await visitor.text()
      expect(html).toContain('http-equiv="refresh" content="1;url=/login?next=%2Faccount"')
      expect(html).not.toContain('data-testid="account-subject"')
    })
  })

  describe('next start: the proxy refreshes in the same request', () => {
    it('forged tokens are authentic: the server accepts a live one and calls an expired one expired', async () => {
      const session = await signIn()
      const live = await call('/api/me', { headers: { authorization: `Bearer ${await accessToken(session, 300)}` } })
      expect(live.status).toBe(200)
      const expired = await call('/api/me', {
        headers: { authorization: `Bearer ${await accessToken(session, -600)}` },
      })
      expect(expired.status).toBe(401)
      expect(((await expired.json()) as { error: { code: string } }).error.code).toBe('ERR_ACCESS_TOKEN_EXPIRED')
    })

    it('rotates an expired access token and the page rendered in that request already sees the new session', async () => {
      const session = await signIn()
      const expired = await accessToken(session, -600)
      const response = await call('/dashboard', { cookies: { [AT]: expired, [RT]: session.jar[RT]!, theme: 'dark' } })
      expect(response.status, server.logs()).toBe(200)
      const fresh = setCookies(response)
      expect(fresh[AT]).toMatch(/^ey/)
      expect(fresh[AT]).not.toBe(expired)
      expect(fresh[AT]).not.toBe(session.accessToken)
      expect(fresh[RT]).toMatch(/^brt_/)
      expect(fresh[RT]).not.toBe(session.jar[RT])
      expect(response.headers.getSetCookie().join('\n')).toMatch(/baton\.at=[^;]+;.*HttpOnly.*SameSite=Lax/i)
      const html = await response.text()
      // The server component's cookies() and baton.session() saw the rotated token, not the expired one.
      expect(testId(html, 'access-cookie')).toBe(fresh[AT])
      expect(testId(html, 'session-id')).toBe(session.sessionId)
      expect(testId(html, 'subject')).toBe('user-ada')
      expect(Number(testId(html, 'expires-at'))).toBeGreaterThan(Date.now())
      expect(html).not.toContain(expired)

      // With the new cookies the next request passes through without another rotation.
      const again = await call('/dashboard', { cookies: { [AT]: fresh[AT]!, [RT]: fresh[RT]! } })
      expect(again.status).toBe(200)
      expect(again.headers.getSetCookie()).toEqual([])
      expect(testId(await again.text(), 'access-cookie')).toBe(fresh[AT])
    })

    it('refreshes for a route handler too: /api/me answers for the rotated session', async () => {
      const session = await signIn()
      const response = await call('/api/me', {
        cookies: { [AT]: await accessToken(session, -600), [RT]: session.jar[RT]! },
      })
      expect(response.status).toBe(200)
      expect(setCookies(response)[RT]).toMatch(/^brt_/)
      expect(await response.json()).toMatchObject({ subject: 'user-ada', sessionId: session.sessionId })
    })

    it('redirects to /login?next= when nothing can be refreshed, and clears dead cookies', async () => {
      const session = await signIn()
      const response = await call('/dashboard/settings?tab=2', { cookies: { [AT]: await accessToken(session, -600) } })
      expect(response.status).toBe(307)
      expect(location(response)).toBe('/login?next=%2Fdashboard%2Fsettings%3Ftab%3D2')
      expect(setCookies(response)).toMatchObject({ [AT]: '', [RT]: '' })

      const revoked = await call('/api/auth/logout', { method: 'POST', cookies: session.jar })
      expect(revoked.status).toBeLessThan(300)
      const afterLogout = await call('/dashboard', {
        cookies: { [AT]: await accessToken(session, -600), [RT]: session.jar[RT]! },
      })
      expect(afterLogout.status).toBe(307)
      expect(location(afterLogout)).toBe('/login?next=%2Fdashboard')
    })
  })

  describe('next start: the devtools report reaches the browser (proxy.ts sends ?devtools to devtools: true)', () => {
    /** The proxy's own entry in Server-Timing, whatever else the value holds. */
    const report = (response: Response) =>
      /(?:^|,\s*)(baton;dur=\d+\.\d;desc="[^"]*")/.exec(response.headers.get('server-timing') ?? '')?.[1] ?? null

    it('on a page passed on, a rotation, a route handler and a redirect; the redirect also sets its cookie', async () => {
      const session = await signIn()
      const page = await call('/dashboard?devtools', { cookies: session.jar })
      expect(page.status).toBe(200)
      expect(report(page)).toMatch(/desc="verified:valid"$/)

      const expired = { [AT]: await accessToken(session, -600), [RT]: session.jar[RT]! }
      const rotated = await call('/dashboard?devtools', { cookies: expired })
      expect(rotated.status, server.logs()).toBe(200)
      expect(report(rotated)).toMatch(/desc="refreshed:expired"$/)
      const fresh = setCookies(rotated)
      expect(fresh[RT]).toMatch(/^brt_/)
      expect(fresh['baton-devtools']).toBeUndefined()

      const api = await call('/api/me?devtools', { cookies: { [AT]: fresh[AT]!, [RT]: fresh[RT]! } })
      expect(api.status).toBe(200)
      expect(report(api)).toMatch(/desc="verified:valid"$/)

      const visitor = await call('/dashboard?devtools')
      expect(visitor.status).toBe(307)
      expect(report(visitor)).toMatch(/desc="redirected:ERR_UNAUTHENTICATED"$/)
      const line = visitor.headers.getSetCookie().find((l) => l.startsWith('baton-devtools='))
      expect(line).toMatch(/^baton-devtools=[^;]+; Max-Age=60; Path=\/; SameSite=Lax$/)
      expect(JSON.parse(decodeURIComponent(setCookies(visitor)['baton-devtools'] ?? ''))).toMatchObject({
        action: 'redirected',
        reason: 'ERR_UNAUTHENTICATED',
        path: '/dashboard',
      })
    })

    it('is absent without the option, as next start leaves it by default', async () => {
      const session = await signIn()
      const page = await call('/dashboard', { cookies: session.jar })
      expect(page.status).toBe(200)
      expect(report(page)).toBeNull()
      const visitor = await call('/dashboard')
      expect(visitor.status).toBe(307)
      expect(report(visitor)).toBeNull()
      expect(setCookies(visitor)['baton-devtools']).toBeUndefined()
    })
  })

  describe('next start: x-middleware-subrequest cannot skip the proxy (CVE-2025-29927)', () => {
    const tricks = [
      'proxy',
      'proxy:proxy:proxy:proxy:proxy',
      'middleware',
      'middleware:middleware:middleware:middleware:middleware',
      'src/proxy:src/proxy:src/proxy:src/proxy:src/proxy',
      'src/middleware:src/middleware:src/middleware:src/middleware:src/middleware',
      'pages/_middleware',
      'pages/dashboard/_middleware',
    ]

    it.each(tricks)('a protected page still redirects with x-middleware-subrequest: %s', async (value) => {
      const response = await call('/dashboard', { headers: { 'x-middleware-subrequest': value } })
      expect(response.status).toBe(307)
      expect(location(response)).toBe('/login?next=%2Fdashboard')
      expect(await response.text()).not.toContain('data-testid="session-id"')
    })

    it.each(tricks)('a protected API route still answers 401 with x-middleware-subrequest: %s', async (value) => {
      const response = await call('/api/me', { headers: { 'x-middleware-subrequest': value } })
      expect(response.status).toBe(401)
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/)
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('ERR_UNAUTHENTICATED')
    })

    it('an expired token plus the header is still refused', async () => {
      const session = await signIn()
      const response = await call('/api/me', {
        headers: { 'x-middleware-subrequest': 'proxy:proxy:proxy:proxy:proxy' },
        cookies: { [AT]: await accessToken(session, -600) },
      })
      expect(response.status).toBe(401)
    })
  })

  describe('next start: route handlers under /api/auth/[...baton] and withAuth', () => {
    it('signs in, reads the session, refreshes, signs out', async () => {
      const session = await signIn()
      const current = await call('/api/auth/session', { cookies: session.jar })
      expect(current.status).toBe(200)
      expect(await current.json()).toMatchObject({ user: { id: 'user-ada', email: EMAIL } })

      const refreshed = await call('/api/auth/refresh', { method: 'POST', cookies: session.jar })
      expect(refreshed.status).toBe(200)
      const fresh = setCookies(refreshed)
      expect(fresh[RT]).toMatch(/^brt_/)
      expect(fresh[RT]).not.toBe(session.jar[RT])
      expect(((await refreshed.json()) as { accessToken: string }).accessToken).toBe(fresh[AT])

      const out = await call('/api/auth/logout', { method: 'POST', cookies: { [AT]: fresh[AT]!, [RT]: fresh[RT]! } })
      expect(out.status).toBeLessThan(300)
      expect(setCookies(out)).toMatchObject({ [AT]: '', [RT]: '' })
      const dead = await call('/api/auth/refresh', { method: 'POST', cookies: { [RT]: fresh[RT]! } })
      expect(dead.status).toBe(401)
    })

    it('refuses wrong passwords and cross-site sign-ins', async () => {
      const wrong = await call('/api/auth/login', { method: 'POST', json: { email: EMAIL, password: 'nope' } })
      expect(wrong.status).toBe(401)
      expect(((await wrong.json()) as { error: { code: string } }).error.code).toBe('ERR_INVALID_CREDENTIALS')
      expect(wrong.headers.getSetCookie()).toEqual([])
      const csrf = await call('/api/auth/login', {
        method: 'POST',
        headers: { origin: 'http://evil.example' },
        json: { email: EMAIL, password: PASSWORD },
      })
      expect(csrf.status).toBe(403)
      expect(csrf.headers.getSetCookie()).toEqual([])
    })

    it('answers 405 with Allow for a wrong method and 404 JSON for an unknown route', async () => {
      const put = await call('/api/auth/login', { method: 'PUT' })
      expect(put.status).toBe(405)
      expect(put.headers.get('allow')).toBe('POST')
      expect(((await put.json()) as { error: { code: string } }).error.code).toBe('ERR_METHOD_NOT_ALLOWED')
      const unknown = await call('/api/auth/nope')
      expect(unknown.status).toBe(404)
      expect(unknown.headers.get('content-type')).toMatch(/^application\/json/)
      expect(((await unknown.json()) as { error: { code: string } }).error.code).toBe('ERR_NOT_FOUND')
    })

    it('withAuth accepts the access cookie and a Bearer token, and answers 401 + WWW-Authenticate otherwise', async () => {
      const session = await signIn()
      const byCookie = await call('/api/me', { cookies: { [AT]: session.accessToken } })
      expect(byCookie.status).toBe(200)
      expect(await byCookie.json()).toMatchObject({ subject: 'user-ada', sessionId: session.sessionId })
      const byBearer = await call('/api/me', { headers: { authorization: `Bearer ${session.accessToken}` } })
      expect(byBearer.status).toBe(200)
      expect(await byBearer.json()).toMatchObject({ subject: 'user-ada', sessionId: session.sessionId })

      const none = await call('/api/me')
      expect(none.status).toBe(401)
      expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/)
      const forged = `${session.accessToken.slice(0, -4)}AAAA`
      const bad = await call('/api/me', { headers: { authorization: `Bearer ${forged}` } })
      expect(bad.status).toBe(401)
      expect(bad.headers.get('www-authenticate')).toContain('error="invalid_token"')
      const malformed = await call('/api/me', {
        headers: { authorization: 'Bearer' },
        cookies: { [AT]: session.accessToken },
      })
      expect(malformed.status).toBe(401)
      expect(malformed.headers.get('www-authenticate')).toContain('error="invalid_token"')
      expect(((await malformed.json()) as { error: { code: string } }).error.code).toBe('ERR_ACCESS_TOKEN_INVALID')
      // Another scheme (say Basic auth in front of a staging site) is not Baton's: the cookie decides.
      const basic = await call('/api/me', { headers: { authorization: 'Basic YWRhOnB3' } })
      expect(basic.status).toBe(401)
      expect(basic.headers.get('www-authenticate')).toBe('Bearer realm="baton"')
      expect(((await basic.json()) as { error: { code: string } }).error.code).toBe('ERR_UNAUTHENTICATED')
      const basicWithCookie = await call('/api/me', {
        headers: { authorization: 'Basic YWRhOnB3' },
        cookies: { [AT]: session.accessToken },
      })
      expect(basicWithCookie.status).toBe(200)
      expect(await basicWithCookie.json()).toMatchObject({ subject: 'user-ada', sessionId: session.sessionId })
    })
  })

  describe('next start: a server-action sign-in works without JavaScript', () => {
    it('posts the form: 303 to ?next= with both cookies set, and the dashboard then shows that session', async () => {
      const response = await postLoginForm('/login?next=%2Fdashboard%3Ftab%3D2', { email: EMAIL, password: PASSWORD })
      expect(response.status, server.logs()).toBe(303)
      expect(location(response)).toBe('/dashboard?tab=2')
      const jar = setCookies(response)
      expect(jar[AT]).toMatch(/^ey/)
      expect(jar[RT]).toMatch(/^brt_/)
      const lines = response.headers.getSetCookie()
      for (const name of [AT, RT]) {
        const line = lines.find((l) => l.startsWith(`${name}=`))
        expect(line).toMatch(/HttpOnly/i)
        expect(line).toMatch(/SameSite=lax/i)
        expect(line).toMatch(/Path=\//)
      }

      const dashboard = await call('/dashboard?tab=2', { cookies: { [AT]: jar[AT]!, [RT]: jar[RT]! } })
      expect(dashboard.status).toBe(200)
      expect(dashboard.headers.getSetCookie()).toEqual([])
      const html = await dashboard.text()
      expect(testId(html, 'access-cookie')).toBe(jar[AT])
      expect(testId(html, 'subject')).toBe('user-ada')
      expect(testId(html, 'session-id')).toMatch(/^[\w-]{10,}$/)
    })

    it('never redirects off-site through ?next=', async () => {
      const response = await postLoginForm('/login?next=%2F%2Fevil.example%2F', { email: EMAIL, password: PASSWORD })
      expect(response.status).toBe(303)
      expect(location(response)).toBe('/dashboard')
    })

    it('a wrong password sets no cookie and comes back with the error code', async () => {
      const response = await postLoginForm('/login', { email: EMAIL, password: 'wrong-password' })
      expect(response.status).toBe(303)
      expect(location(response)).toBe('/login?error=ERR_INVALID_CREDENTIALS')
      expect(setCookies(response)[AT]).toBeUndefined()
    })

    it('a cross-site post of the form signs nobody in', async () => {
      const response = await postLoginForm('/login', { email: EMAIL, password: PASSWORD }, 'http://evil.example')
      expect(response.status).not.toBe(303)
      expect(setCookies(response)[AT]).toBeUndefined()
      expect(setCookies(response)[RT]).toBeUndefined()
    })
  })

  describe('next start: Pages Router', () => {
    it('pages/api/pages-auth/[...baton] signs in, reads the session and answers 405/404', async () => {
      const session = await signIn('/api/pages-auth')
      const current = await call('/api/pages-auth/session', { cookies: session.jar })
      expect(current.status).toBe(200)
      expect(await current.json()).toMatchObject({ user: { id: 'user-ada' }, session: { id: session.sessionId } })
      const put = await call('/api/pages-auth/login', { method: 'PUT' })
      expect(put.status).toBe(405)
      expect(put.headers.get('allow')).toBe('POST')
      const unknown = await call('/api/pages-auth/nope')
      expect(unknown.status).toBe(404)
      expect(((await unknown.json()) as { error: { code: string } }).error.code).toBe('ERR_NOT_FOUND')
    })

    it('getServerSideProps with pages.getSession refreshes an expired token and sets the cookies', async () => {
      const session = await signIn('/api/pages-auth')
      const expired = await accessToken(session, -600)
      const response = await call('/pages-session', { cookies: { [AT]: expired, [RT]: session.jar[RT]! } })
      expect(response.status, server.logs()).toBe(200)
      const fresh = setCookies(response)
      expect(fresh[AT]).toMatch(/^ey/)
      expect(fresh[AT]).not.toBe(expired)
      expect(fresh[RT]).toMatch(/^brt_/)
      expect(fresh[RT]).not.toBe(session.jar[RT])
      const html = await response.text()
      expect(testId(html, 'access-token')).toBe(fresh[AT])
      expect(testId(html, 'session-id')).toBe(session.sessionId)

      // The rotated refresh token is the live one: it refreshes again through the Pages route.
      const next = await call('/api/pages-auth/refresh', { method: 'POST', cookies: { [RT]: fresh[RT]! } })
      expect(next.status).toBe(200)
    })

    it('getServerSideProps without cookies renders signed out', async () => {
      const response = await call('/pages-session')
      expect(response.status).toBe(200)
      expect(testId(await response.text(), 'session-id')).toBe('none')
      expect(response.headers.getSetCookie()).toEqual([])
    })
  })

  describe('next start: behind a reverse proxy (issue 13; the Next 15 twin is next15-fixture.test.ts)', () => {
    it('sends a signed-out visitor to sign-in on the Host they asked for, not to the listening address', async () => {
      const response = await hostRequest(server.origin, '/dashboard', { headers: { host: 'app.example.com' } })
      expect(response.status).toBe(307)
      expect(response.headers.location).toBe('http://app.example.com/login?next=%2Fdashboard')
    })

    it('believes the X-Forwarded-Host/-Proto of the proxy it trusts (the fixture sets trustProxy: 1)', async () => {
      const headers = { host: '127.0.0.1', 'x-forwarded-host': 'app.example.com', 'x-forwarded-proto': 'https' }
      const response = await hostRequest(server.origin, '/dashboard', { headers })
      expect(response.headers.location).toBe('https://app.example.com/login?next=%2Fdashboard')
    })

    it('lets a CORS preflight to a protected API path through to the app', async () => {
      const response = await hostRequest(server.origin, '/api/me', {
        method: 'OPTIONS',
        headers: { origin: 'https://spa.example', 'access-control-request-method': 'GET' },
      })
      expect(response.status).not.toBe(401)
      expect(response.status).toBeLessThan(300)
    })

    it('refuses a state-changing POST that carries no Origin (403 ERR_CSRF JSON)', async () => {
      const response = await hostRequest(server.origin, '/api/auth/logout', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      })
      expect(response.status).toBe(403)
      expect(JSON.parse(response.body).error.code).toBe('ERR_CSRF')
    })
  })

  describe('next start: the server log', () => {
    it('after all of the above: no [baton] error, no Date.now() while prerendering', () => {
      const log = server.logs()
      expect(log).not.toContain('[baton]')
      expect(log).not.toMatch(/unstable value|uncached or runtime data|needs to bail out of prerendering/)
    })
  })
})
