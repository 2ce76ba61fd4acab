import type { SessionStore } from '@baton/core'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { Baton } from '../create-baton.js'
import { ORIGIN, PASSWORD, testBaton } from '../test-app.fixture.js'
import { freshUser, routeBackends, useBackend } from './routes.fixture.js'

/**
 * Random requests against the real router and a real store: methods, paths
 * under /api/auth, hostile headers (content type, origin, fetch metadata,
 * cookies with duplicates and shadowed names) and bodies (unicode, invalid
 * UTF-8, JSON of every shape, huge). Whatever comes in:
 *   - the answer is never a 5xx,
 *   - an error is always `{ error: { code, message } }` JSON, never cached,
 *   - a refused request changes no session: no session is created, rotated or
 *     revoked, and the user's session stays live,
 *   - a refused request never sets a token cookie (at most it clears them).
 * Placeholders ($ACCESS, $REFRESH, $SID) stand for the live session's real
 * values, so refusals are tested with real credentials in hand.
 */

const HUGE = `{"email":"${'x'.repeat(2 * 1024 * 1024)}"}`
const MUTATIONS = ['createSession', 'rotateRefreshToken', 'revokeSession', 'revokeSubjectSessions'] as const

/** `arb` with probability present / (present + absent), else null. */
function sometimes<T>(arb: fc.Arbitrary<T>, present: number, absent: number): fc.Arbitrary<T | null> {
  return fc.oneof({ weight: present, arbitrary: arb }, { weight: absent, arbitrary: fc.constant(null) })
}

const latin1 = fc.string({
  unit: fc
    .integer({ min: 0x20, max: 0xff })
    .filter((c) => c !== 0x7f)
    .map((c) => String.fromCharCode(c)),
  maxLength: 40,
})

const segment = fc.oneof(
  fc.constantFrom(
    'login',
    'refresh',
    'logout',
    'session',
    'sessions',
    'jwks',
    '$SID',
    '__proto__',
    'constructor',
    'prototype',
    'toString',
    '..',
    '.',
    '',
    '%00',
    '%2F',
    '%2e%2e',
    '%E0%A4%A',
    '%',
    'LOGIN',
    "'OR'1'='1",
  ),
  fc.string({ unit: 'grapheme', maxLength: 12 }).map(encodeURIComponent),
  fc.stringMatching(/^[A-Za-z0-9_-]{1,70}$/),
)

/** A route with the method it answers. */
const ROUTES: [string, string][] = [
  ['login', 'POST'],
  ['login', 'POST'],
  ['login', 'POST'],
  ['refresh', 'POST'],
  ['logout', 'POST'],
  ['session', 'GET'],
  ['sessions', 'GET'],
  ['jwks', 'GET'],
  ['sessions/$SID', 'DELETE'],
  ['sessions/not-mine', 'DELETE'],
]

const anyMethod = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('GET', 'POST', 'DELETE', 'PUT', 'PATCH', 'HEAD', 'OPTIONS') },
  {
    weight: 1,
    arbitrary: fc
      .stringMatching(/^[A-Za-z_]{1,12}$/)
      .filter((m) => !['CONNECT', 'TRACE', 'TRACK'].includes(m.toUpperCase())),
  },
)

const target = fc.oneof(
  {
    weight: 10,
    arbitrary: fc
      .tuple(fc.constantFrom(...ROUTES), fc.nat(3), anyMethod, fc.option(fc.string({ maxLength: 10 }), { freq: 5 }))
      .map(([[route, right], dice, other, query]) => ({
        path: `/api/auth/${route}${query === null ? '' : `?${encodeURIComponent(query)}`}`,
        method: dice < 3 ? right : other,
      })),
  },
  {
    weight: 3,
    arbitrary: fc.tuple(fc.array(segment, { minLength: 1, maxLength: 3 }), anyMethod).map(([s, method]) => ({
      path: `/api/auth/${s.join('/')}`,
      method,
    })),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom('/api/auth', '/api/auth/', '/api/authx/login', '/login', '/api//auth/login'), anyMethod)
      .map(([path, method]) => ({ path, method })),
  },
)

const contentType = sometimes(
  fc.oneof(
    fc.constantFrom(
      'application/json',
      'application/json',
      'application/json',
      'application/json; charset=utf-8',
      'APPLICATION/JSON',
      'application/json; charset=utf-16',
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/jsonx',
      '',
    ),
    latin1,
  ),
  3,
  1,
)

const origin = sometimes(
  fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(ORIGIN, 'https://app.test') },
    { weight: 2, arbitrary: fc.constantFrom('https://evil.test', 'null', 'http://app.test.evil.test', '') },
    { weight: 1, arbitrary: latin1 },
  ),
  3,
  2,
)

const fetchSite = sometimes(fc.oneof(fc.constantFrom('same-origin', 'same-site', 'cross-site', 'none'), latin1), 1, 3)

const cookieName = fc.oneof(
  fc.constantFrom(
    '__Host-baton.at',
    '__Host-baton.rt',
    'baton.at',
    'baton.rt',
    '__host-baton.rt',
    '__Secure-baton.rt',
    ' __Host-baton.rt',
    'constructor',
    '__proto__',
  ),
  fc.stringMatching(/^[A-Za-z0-9._-]{1,12}$/),
)

const cookieValue = fc.oneof(
  fc.constantFrom(
    '$ACCESS',
    '$REFRESH',
    '"$REFRESH"',
    '$REFRESH$REFRESH',
    'brt_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
    'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.',
    '',
    'garbage',
    "' OR 1=1 --",
  ),
  fc.string({ unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 30 }),
  fc.constant('a'.repeat(9000)),
)

const cookiePairs = fc
  .array(fc.tuple(cookieName, cookieValue), { maxLength: 4 })
  .map((pairs) => pairs.map(([n, v]) => `${n}=${v}`))

const cookie = sometimes(
  fc.oneof(
    // The real jar, with junk, duplicates and shadows around it.
    fc
      .tuple(
        cookiePairs,
        fc.subarray(['__Host-baton.at=$ACCESS', '__Host-baton.rt=$REFRESH'], { minLength: 1 }),
        cookiePairs,
      )
      .map(([before, real, after]) => [...before, ...real, ...after].join('; ')),
    cookiePairs.map((pairs) => pairs.join('; ')),
  ),
  3,
  1,
)

const authorization = sometimes(
  fc.oneof(fc.constantFrom('Bearer $ACCESS', 'Bearer garbage', 'Basic YTpi', 'Bearer', 'bearer $ACCESS x'), latin1),
  1,
  6,
)

const credentialKey = fc.oneof(
  fc.constantFrom('email', 'password', 'username', 'login', 'everywhere', '__proto__'),
  fc.string(),
)
const credentialValue = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      'ada@example.com',
      PASSWORD,
      '$EMAIL',
      "' OR '1'='1",
      '\u0000',
      'a\u0000b',
      '🦄',
      '\ud800',
    ),
  },
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
)

const credentials = fc
  .tuple(
    fc.record({ email: credentialValue, password: credentialValue }, { requiredKeys: [] }),
    fc.dictionary(credentialKey, credentialValue, { maxKeys: 3 }),
  )
  .map(([known, extra]) => JSON.stringify({ ...extra, ...known }))

const body = fc.oneof(
  { weight: 2, arbitrary: fc.constant(undefined) },
  { weight: 4, arbitrary: credentials },
  { weight: 3, arbitrary: fc.dictionary(credentialKey, credentialValue, { maxKeys: 5 }).map((o) => JSON.stringify(o)) },
  { weight: 1, arbitrary: fc.json({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom('{', '[]', 'null', '1', '"x"', '{"everywhere":true}', '{"everywhere":"yes"}'),
  },
  // Expanded to 2 MB at build time (keeps counterexamples readable).
  { weight: 1, arbitrary: fc.constant('$HUGE') },
)

const contentLength = sometimes(
  fc.oneof(fc.constantFrom('honest', '0', '-1', 'abc', '99999999'), fc.nat().map(String)),
  1,
  4,
)

const requestSpec = fc.record({
  target,
  contentType,
  origin,
  fetchSite,
  cookie,
  authorization,
  body,
  contentLength,
  forwardedFor: sometimes(fc.oneof(fc.constantFrom('192.0.2.1', '::ffff:192.0.2.1', '2001:db8::1'), latin1), 1, 2),
})

type Spec = typeof requestSpec extends fc.Arbitrary<infer T> ? T : never

interface Live {
  email: string
  subject: string
  access: string
  refresh: string
  sessionId: string
}

function substitute(value: string, live: Live): string {
  return value
    .replaceAll('$ACCESS', live.access)
    .replaceAll('$REFRESH', live.refresh)
    .replaceAll('$SID', live.sessionId)
    .replaceAll('$EMAIL', live.email)
}

function build(spec: Spec, live: Live): Request | null {
  const headers = new Headers()
  try {
    if (spec.contentType !== null) headers.set('content-type', spec.contentType)
    if (spec.origin !== null) headers.set('origin', spec.origin)
    if (spec.fetchSite !== null) headers.set('sec-fetch-site', spec.fetchSite)
    if (spec.cookie !== null) headers.set('cookie', substitute(spec.cookie, live))
    if (spec.authorization !== null) headers.set('authorization', substitute(spec.authorization, live))
    if (spec.forwardedFor !== null) headers.set('x-forwarded-for', spec.forwardedFor)
  } catch {
    return null // a value Headers itself refuses never reaches a server
  }
  const hasBody = spec.body !== undefined && spec.target.method !== 'GET' && spec.target.method !== 'HEAD'
  const raw = spec.body === '$HUGE' ? HUGE : spec.body
  const payload = hasBody ? (typeof raw === 'string' ? substitute(raw, live) : raw) : undefined
  if (hasBody && spec.contentLength !== null) {
    const bytes =
      typeof payload === 'string' ? new TextEncoder().encode(payload).byteLength : (payload as Uint8Array).byteLength
    headers.set('content-length', spec.contentLength === 'honest' ? String(bytes) : spec.contentLength)
  }
  let url: URL
  try {
    url = new URL(substitute(spec.target.path, live), ORIGIN)
  } catch {
    return null
  }
  return new Request(url, { method: spec.target.method, headers, body: payload as BodyInit | undefined })
}

for (const backend of routeBackends) {
  describe(`router under random requests on ${backend.name}`, () => {
    const store = useBackend(backend)
    let baton: Baton
    let live: Live
    const spies: Partial<Record<(typeof MUTATIONS)[number], ReturnType<typeof vi.spyOn>>> = {}

    async function startSession(): Promise<void> {
      const user = { id: live.subject, email: live.email, name: 'Fuzz' }
      const issued = await baton.engine.signIn({ subject: user.id, user })
      live = { ...live, access: issued.accessToken, refresh: issued.refreshToken, sessionId: issued.session.id }
    }

    function mutationCount(): number {
      return MUTATIONS.reduce((sum, name) => sum + (spies[name]?.mock.calls.length ?? 0), 0)
    }

    beforeAll(async () => {
      ;({ baton } = await testBaton(store()))
      const { email, id } = await freshUser('fuzz')
      live = { email, subject: id, access: '', refresh: '', sessionId: '' }
      await startSession()
      for (const name of MUTATIONS) spies[name] = vi.spyOn(store() as SessionStore, name)
      vi.spyOn(console, 'error').mockImplementation(() => undefined)
    })

    afterAll(() => {
      vi.restoreAllMocks()
    })

    it('never answers 5xx, always answers errors as JSON, and a refused request changes no session', async () => {
      const seen = new Map<string, number>()
      await fc.assert(
        fc.asyncProperty(requestSpec, async (spec) => {
          const request = build(spec, live)
          if (!request) return
          const before = mutationCount()
          // Every exported handler is the same router; pick one without trusting the method as a key.
          const handler = baton.handlers.POST
          const response = await handler(request)
          const text = await response.text()
          const key = `${response.status} ${/"code":"(\w+)"/.exec(text)?.[1] ?? ''}`
          seen.set(key, (seen.get(key) ?? 0) + 1)

          expect(response.status, text).toBeLessThan(500)
          expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8')
          expect(response.headers.get('x-content-type-options')).toBe('nosniff')

          if (response.status < 400) {
            // An accepted request may legitimately sign in, rotate or revoke: start a fresh session.
            await startSession()
            return
          }

          const parsed = JSON.parse(text)
          expect(Object.keys(parsed)).toEqual(['error'])
          expect(parsed.error.code).toMatch(/^ERR_[A-Z_]+$/)
          expect(typeof parsed.error.message).toBe('string')
          expect(response.headers.get('cache-control')).toBe('no-store')
          if (response.status === 405) expect(response.headers.get('allow')).toMatch(/^(GET|POST|DELETE)$/)
          if (response.status === 429) expect(response.headers.get('retry-after')).toMatch(/^[1-9]\d*$/)
          for (const line of response.headers.getSetCookie()) expect(line).toMatch(/^[^=]+=; Max-Age=0;/)

          expect(mutationCount() - before, `${spec.target.method} ${spec.target.path} → ${text}`).toBe(0)
          const session = await store().getSession(live.sessionId)
          expect(session?.revokedAt).toBeNull()
        }),
        {
          numRuns: backend.name === 'PGlite' ? 600 : 1000,
          seed: Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31),
        },
      )
      // The generators reach far: refusals of every kind and some accepted requests.
      if (process.env.FUZZ_STATS) console.log(Object.fromEntries([...seen].sort()))
      expect([...seen.keys()].filter((k) => Number(k.slice(0, 3)) >= 400).length).toBeGreaterThanOrEqual(8)

      // The live session's real refresh token still rotates afterwards.
      const response = await baton.handlers.POST(
        new Request(new URL('/api/auth/refresh', ORIGIN), {
          method: 'POST',
          headers: { origin: ORIGIN, cookie: `__Host-baton.rt=${live.refresh}` },
        }),
      )
      expect(response.status).toBe(200)
      expect(({} as Record<string, unknown>).polluted).toBeUndefined()
      expect(Object.keys(Object.prototype)).toEqual([])
    })

    it('answers any well-formed login 200, 401 or 429, whatever the strings (NUL, control, astral, SQL)', async () => {
      // A cheap authenticate: the subject here is what the route and the store make of the strings.
      const { baton: cheap } = await testBaton(store(), {
        authenticate: async (c) => (c.password === PASSWORD && c.email === live.email ? { id: live.subject } : null),
      })
      const text = fc.oneof(
        fc.string({ unit: 'binary-ascii', maxLength: 64 }),
        fc.string({ unit: 'binary', maxLength: 64 }),
        fc.string({ unit: 'grapheme', maxLength: 32 }),
        fc.constantFrom("' OR 1=1 --", '\u0000', 'a\u0000@b', '\ud800', '$EMAIL', PASSWORD),
      )
      await fc.assert(
        fc.asyncProperty(
          fc.record({
            fields: fc.record(
              { email: text, password: text, username: text, login: text },
              { requiredKeys: ['email', 'password'] },
            ),
            forwardedFor: fc.constantFrom('192.0.2.1', '2001:db8::1', '::ffff:192.0.2.9', 'junk'),
            userAgent: latin1,
          }),
          async ({ fields, forwardedFor, userAgent }) => {
            const json = Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, substitute(v, live)]))
            const headers = new Headers({ 'content-type': 'application/json', origin: ORIGIN })
            headers.set('x-forwarded-for', forwardedFor)
            headers.set('user-agent', userAgent)
            const response = await cheap.handlers.POST(
              new Request(new URL('/api/auth/login', ORIGIN), { method: 'POST', headers, body: JSON.stringify(json) }),
            )
            const body = await response.text()
            expect([200, 400, 401, 429], body).toContain(response.status)
            if (response.status === 400) expect(JSON.parse(body).error.code).toBe('ERR_BAD_REQUEST')
          },
        ),
        { numRuns: 300, seed: Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31) },
      )
    })
  })
}
