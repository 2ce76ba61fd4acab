import { MAX_COOKIE_TOKEN_LENGTH } from '@baton/core/server'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { ORIGIN, PASSWORD, request, setCookies, testBaton } from '../test-app.fixture.js'
import { expectError, freshUser, routeBackends, useBackend } from './routes.fixture.js'

const LOGIN = '/api/auth/login'

/** A raw POST to the login route (no helper defaults beyond what is given). */
function raw(body: BodyInit | null, headers: Record<string, string> = {}, init: RequestInit = {}): Request {
  return new Request(new URL(LOGIN, ORIGIN), { method: 'POST', headers, body, ...init })
}

const JSON_HEADERS = { 'content-type': 'application/json', origin: ORIGIN }

/** A pull-based stream of `chunk`-byte pieces that counts what the reader pulled. */
function countingStream(total: number, chunk = 1024, fill = 0x20) {
  const state = { pulled: 0, cancelled: false }
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (state.pulled >= total) return controller.close()
        const size = Math.min(chunk, total - state.pulled)
        state.pulled += size
        controller.enqueue(new Uint8Array(size).fill(fill))
      },
      cancel() {
        state.cancelled = true
      },
    },
    { highWaterMark: 0 },
  )
  return { stream, state }
}

afterEach(() => {
  vi.restoreAllMocks()
})

for (const backend of routeBackends) {
  describe(`POST /login on ${backend.name}`, () => {
    const store = useBackend(backend)

    it('signs in: 200 with user, token and session, two hardened cookies, no-store', async () => {
      const { baton, clock } = await testBaton(store())
      const { email, id } = await freshUser()
      const response = await baton.handlers.POST(
        request(LOGIN, {
          method: 'POST',
          headers: { 'user-agent': 'TestAgent/1.0', 'x-forwarded-for': '203.0.113.7' },
          json: { email, password: PASSWORD },
        }),
      )
      expect(response.status).toBe(200)
      expect(response.headers.get('cache-control')).toBe('no-store')
      expect(response.headers.get('pragma')).toBe('no-cache')
      expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8')
      const body = await response.json()
      expect(Object.keys(body).sort()).toEqual(['accessToken', 'accessTokenExpiresAt', 'session', 'user'])
      expect(body.user).toEqual({ id, email, name: email.split('@')[0] })
      expect(body.accessTokenExpiresAt).toBe(Math.floor((clock.now() + 900_000) / 1000) * 1000)
      expect(body.session).toMatchObject({ current: true, userAgent: 'TestAgent/1.0', ip: '203.0.113.7' })
      const lines = response.headers.getSetCookie()
      expect(lines).toHaveLength(2)
      const [access, refresh] = lines as [string, string]
      expect(access).toMatch(/^__Host-baton\.at=[A-Za-z0-9._-]+; Max-Age=(899|900); Expires=[^;]+ GMT; /)
      expect(refresh).toMatch(/^__Host-baton\.rt=brt_[A-Za-z0-9_-]+; Max-Age=604800; Expires=[^;]+ GMT; /)
      for (const line of lines) {
        expect(line.endsWith('; Path=/; HttpOnly; SameSite=Lax; Secure')).toBe(true)
        expect(line).not.toMatch(/Domain=/i)
      }
      expect(setCookies(response)[baton.cookieNames.access]).toBe(body.accessToken)
      const verified = await baton.engine.verifyAccessToken(body.accessToken, { strict: true })
      expect(verified).toMatchObject({ subject: id, sessionId: body.session.id })
    })

    it('records a bounded user agent', async () => {
      const { baton } = await testBaton(store())
      const { email, id } = await freshUser()
      const response = await baton.handlers.POST(
        request(LOGIN, {
          method: 'POST',
          headers: { 'user-agent': 'A'.repeat(10_000) },
          json: { email, password: PASSWORD },
        }),
      )
      expect(response.status).toBe(200)
      const [session] = await baton.engine.listSessions({ subject: id })
      expect(session?.userAgent).toBe('A'.repeat(512))
    })

    describe('content type (415)', () => {
      const body = JSON.stringify({ email: 'ada@example.com', password: PASSWORD })
      it.each([
        ['text/plain'],
        ['text/plain;charset=UTF-8'],
        ['application/x-www-form-urlencoded'],
        ['multipart/form-data; boundary=----x'],
        ['application/jsonx'],
        ['application/json-patch+json'],
        ['text/json'],
        ['application/json; charset=latin1'],
        ['application/json, text/plain'],
        [''],
      ])('refuses %j', async (type) => {
        const authenticate = vi.fn(async () => null)
        const { baton } = await testBaton(store(), { authenticate })
        await expectError(
          await baton.handlers.POST(raw(body, { 'content-type': type, origin: ORIGIN })),
          415,
          'ERR_UNSUPPORTED_MEDIA_TYPE',
        )
        expect(authenticate).not.toHaveBeenCalled()
      })

      it('refuses a body without any content type', async () => {
        const { baton } = await testBaton(store())
        const request = raw(new TextEncoder().encode(body), { origin: ORIGIN })
        expect(request.headers.get('content-type')).toBeNull()
        await expectError(await baton.handlers.POST(request), 415, 'ERR_UNSUPPORTED_MEDIA_TYPE')
      })

      it('accepts application/json with a utf-8 charset in any case', async () => {
        const { baton } = await testBaton(store())
        for (const type of ['application/json; charset=utf-8', 'Application/JSON;charset="UTF-8"']) {
          const { email } = await freshUser()
          const response = await baton.handlers.POST(
            raw(JSON.stringify({ email, password: PASSWORD }), { 'content-type': type, origin: ORIGIN }),
          )
          expect(response.status).toBe(200)
        }
      })
    })

    describe('body size (413)', () => {
      const TWO_MB = 2 * 1024 * 1024

      it('refuses an honest content-length over maxBodyBytes without reading the body', async () => {
        const { baton } = await testBaton(store())
        const { stream, state } = countingStream(TWO_MB)
        const request = new Request(new URL(LOGIN, ORIGIN), {
          method: 'POST',
          headers: { ...JSON_HEADERS, 'content-length': String(TWO_MB) },
          body: stream,
          duplex: 'half',
        } as RequestInit)
        const error = await expectError(await baton.handlers.POST(request), 413, 'ERR_PAYLOAD_TOO_LARGE')
        expect(error.message).toContain('16384')
        expect(state.pulled).toBe(0)
      })

      it('refuses a 2 MB string body with its content-length', async () => {
        const { baton } = await testBaton(store())
        const big = JSON.stringify({ email: 'ada@example.com', password: 'x'.repeat(TWO_MB) })
        await expectError(
          await baton.handlers.POST(raw(big, { ...JSON_HEADERS, 'content-length': String(big.length) })),
          413,
          'ERR_PAYLOAD_TOO_LARGE',
        )
      })

      it.each([
        ['no content-length', {}],
        ['a lying content-length', { 'content-length': '40' }],
      ])('refuses a chunked 2 MB stream with %s, pulling little more than the limit', async (_, extra) => {
        const { baton } = await testBaton(store())
        const { stream, state } = countingStream(TWO_MB)
        const request = new Request(new URL(LOGIN, ORIGIN), {
          method: 'POST',
          headers: { ...JSON_HEADERS, ...extra },
          body: stream,
          duplex: 'half',
        } as RequestInit)
        await expectError(await baton.handlers.POST(request), 413, 'ERR_PAYLOAD_TOO_LARGE')
        expect(state.pulled).toBeGreaterThan(16_384)
        expect(state.pulled).toBeLessThanOrEqual(16_384 + 4 * 1024)
        expect(state.cancelled).toBe(true)
      })

      it('honours a custom maxBodyBytes on a stream too', async () => {
        const { baton } = await testBaton(store(), { maxBodyBytes: 100 })
        const { stream, state } = countingStream(TWO_MB, 10)
        const request = new Request(new URL(LOGIN, ORIGIN), {
          method: 'POST',
          headers: JSON_HEADERS,
          body: stream,
          duplex: 'half',
        } as RequestInit)
        const error = await expectError(await baton.handlers.POST(request), 413, 'ERR_PAYLOAD_TOO_LARGE')
        expect(error.message).toContain('100 bytes')
        expect(state.pulled).toBeLessThanOrEqual(150)
      })

      it('accepts a body of exactly maxBodyBytes and refuses one byte more', async () => {
        const { baton } = await testBaton(store())
        const { email } = await freshUser()
        const base = JSON.stringify({ email, password: 'wrong' })
        const exact = base + ' '.repeat(16_384 - base.length)
        const exactRes = await baton.handlers.POST(
          raw(exact, { ...JSON_HEADERS, 'content-length': String(exact.length) }),
        )
        await expectError(exactRes, 401, 'ERR_INVALID_CREDENTIALS')
        const streamed = await baton.handlers.POST(
          raw(new Blob([exact]).stream(), JSON_HEADERS, { duplex: 'half' } as RequestInit),
        )
        await expectError(streamed, 401, 'ERR_INVALID_CREDENTIALS')
        const over = `${exact} `
        await expectError(
          await baton.handlers.POST(raw(over, { ...JSON_HEADERS, 'content-length': String(over.length) })),
          413,
          'ERR_PAYLOAD_TOO_LARGE',
        )
        await expectError(
          await baton.handlers.POST(raw(new Blob([over]).stream(), JSON_HEADERS, { duplex: 'half' } as RequestInit)),
          413,
          'ERR_PAYLOAD_TOO_LARGE',
        )
      })

      it('counts bytes, not characters', async () => {
        const { baton } = await testBaton(store(), { maxBodyBytes: 64 })
        // 30 characters of 4 bytes each: 120 bytes, well under 64 characters.
        const body = JSON.stringify({ email: '🦄'.repeat(15) })
        expect(body.length).toBeLessThan(64)
        await expectError(await baton.handlers.POST(raw(body, JSON_HEADERS)), 413, 'ERR_PAYLOAD_TOO_LARGE')
      })

      it.each(['abc', '-1', '1e99', ''])('treats a junk content-length %j as a client error', async (length) => {
        const { baton } = await testBaton(store())
        const response = await baton.handlers.POST(raw('{}', { ...JSON_HEADERS, 'content-length': length }))
        expect(response.status).toBeGreaterThanOrEqual(400)
        expect(response.status).toBeLessThan(500)
        expect((await response.json()).error.code).toMatch(/^ERR_(PAYLOAD_TOO_LARGE|BAD_REQUEST)$/)
      })
    })

    describe('malformed bodies (400)', () => {
      it.each([
        ['empty', ''],
        ['whitespace', '   '],
        ['truncated', '{"email":"ada@example.com"'],
        ['missing value', '{"email":}'],
        ['trailing garbage', '{"email":"a@b"}{'],
        ['single quotes', "{'email':'a@b'}"],
        ['comment', '{"email":"a@b" /* x */}'],
        ['NaN', '{"email":NaN}'],
        ['array', '[]'],
        ['string', '"x"'],
        ['null', 'null'],
        ['number', '1'],
        ['boolean', 'true'],
        ['empty object', '{}'],
        ['number field', '{"email":1,"password":"x"}'],
        ['null field', '{"email":null,"password":"x"}'],
        ['boolean field', '{"email":"a@b","password":true}'],
        ['array field', '{"email":["a@b"],"password":"x"}'],
        ['operator object', '{"email":{"$ne":null},"password":{"$ne":null}}'],
        ['nested proto', '{"email":"a@b","password":"x","__proto__":{"admin":true}}'],
        ['no account field', '{"password":"x"}'],
        ['blank account', '{"email":"   ","password":"x"}'],
        ['only __proto__', '{"__proto__":"x"}'],
        [
          '17 fields',
          JSON.stringify({
            email: 'a@b',
            password: 'x',
            ...Object.fromEntries(Array.from({ length: 15 }, (_, i) => [`f${i}`, 'v'])),
          }),
        ],
        ['1025-char value', JSON.stringify({ email: 'a@b', password: 'x'.repeat(1025) })],
        ['65-char key', JSON.stringify({ email: 'a@b', ['k'.repeat(65)]: 'v' })],
      ])('%s', async (_, body) => {
        const { baton } = await testBaton(store(), { authenticate: vi.fn(async () => null) })
        await expectError(await baton.handlers.POST(raw(body, JSON_HEADERS)), 400, 'ERR_BAD_REQUEST')
      })

      it('never calls authenticate for a malformed body', async () => {
        const authenticate = vi.fn(async () => null)
        const { baton } = await testBaton(store(), { authenticate })
        await baton.handlers.POST(raw('{"email":1}', JSON_HEADERS))
        await baton.handlers.POST(raw('[', JSON_HEADERS))
        expect(authenticate).not.toHaveBeenCalled()
      })

      it('accepts the boundaries: 16 fields, 1024-char values, 64-char keys', async () => {
        const { baton } = await testBaton(store())
        const { email } = await freshUser()
        const fields: Record<string, string> = { email, password: 'x'.repeat(1024), ['k'.repeat(64)]: 'v' }
        for (let i = 0; Object.keys(fields).length < 16; i++) fields[`f${i}`] = 'v'
        await expectError(
          await baton.handlers.POST(raw(JSON.stringify(fields), JSON_HEADERS)),
          401,
          'ERR_INVALID_CREDENTIALS',
        )
      })

      it.each([
        ['0xff', [0xff]],
        ['overlong "/"', [0xc0, 0xaf]],
        ['UTF-8 encoded surrogate', [0xed, 0xa0, 0x80]],
        ['truncated sequence', [0xe2, 0x82]],
        ['code point over U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
      ])('refuses invalid UTF-8 (%s) inside a string', async (_, bytes) => {
        const { baton } = await testBaton(store())
        const enc = new TextEncoder()
        const body = new Uint8Array([
          ...enc.encode('{"email":"a'),
          ...bytes,
          ...enc.encode('@example.com","password":"x"}'),
        ])
        const error = await expectError(await baton.handlers.POST(raw(body, JSON_HEADERS)), 400, 'ERR_BAD_REQUEST')
        expect(error.message).toMatch(/UTF-8/)
      })

      it('does not echo a hostile field name back unbounded', async () => {
        const { baton } = await testBaton(store())
        const key = `<script>${'k'.repeat(100)}`
        const error = await expectError(
          await baton.handlers.POST(raw(JSON.stringify({ email: 'a@b', [key]: 'v' }), JSON_HEADERS)),
          400,
          'ERR_BAD_REQUEST',
        )
        expect(error.message.length).toBeLessThan(200)
      })
    })

    describe('hostile strings never reach a 5xx', () => {
      const hostile = [
        "' OR '1'='1",
        "admin@example.com'--",
        '"; DROP TABLE baton_sessions; --',
        "x'); DELETE FROM baton_rate_limits; --",
        '\u0000',
        'ada@example.com\u0000',
        'a\u0000b@example.com',
        '🦄@example.com',
        '👩‍👩‍👧‍👦'.repeat(20),
        '\u202eevil@example.com',
        'ａｄａ@example.com',
        '\ud800@example.com',
        '\udfff\ud800',
        'e\u0301\u0301\u0301@example.com',
        '%00%27@example.com',
        '\\x00\\u0000',
        // biome-ignore lint/suspicious/noTemplateCurlyInString: a log4shell-style probe, literally
        '${jndi:ldap://x}',
        '\r\nSet-Cookie: x=y',
        'Ω'.repeat(1024),
      ]

      it.each(hostile.map((s) => [JSON.stringify(s).slice(0, 40), s]))(
        'email %s → 401 ERR_INVALID_CREDENTIALS',
        async (_, value) => {
          const { baton } = await testBaton(store())
          await expectError(
            await baton.handlers.POST(request(LOGIN, { method: 'POST', json: { email: value, password: value } })),
            401,
            'ERR_INVALID_CREDENTIALS',
          )
        },
      )

      it('hostile passwords against a real account → 401, and the account still signs in', async () => {
        const { baton } = await testBaton(store(), { rateLimit: { limit: 100, accountLimit: 100 } })
        const { email } = await freshUser()
        for (const password of hostile) {
          await expectError(
            await baton.handlers.POST(request(LOGIN, { method: 'POST', json: { email, password } })),
            401,
            'ERR_INVALID_CREDENTIALS',
          )
        }
        const ok = await baton.handlers.POST(request(LOGIN, { method: 'POST', json: { email, password: PASSWORD } }))
        expect(ok.status).toBe(200)
      })

      it('a hostile X-Forwarded-For is ignored, not stored', async () => {
        const { baton } = await testBaton(store())
        const { email, id } = await freshUser()
        // Four attempts: with no usable IP they all count against the account's own bucket (limit 5).
        for (const xff of ["' OR 1=1 --", '999.1.1.1', 'a'.repeat(5000), '1.2.3.4\u00ff, , ,']) {
          const response = await baton.handlers.POST(
            request(LOGIN, { method: 'POST', headers: { 'x-forwarded-for': xff }, json: { email, password: 'no' } }),
          )
          await expectError(response, 401, 'ERR_INVALID_CREDENTIALS')
        }
        await baton.handlers.POST(
          request(LOGIN, {
            method: 'POST',
            headers: { 'x-forwarded-for': "'; --" },
            json: { email, password: PASSWORD },
          }),
        )
        const sessions = await baton.engine.listSessions({ subject: id })
        expect(sessions.map((s) => s.ip)).toEqual([null])
      })
    })

    describe('CSRF (403 ERR_CSRF)', () => {
      const refused: [string, Record<string, string>][] = [
        ['a cross-site Origin', { origin: 'https://evil.test' }],
        ['Origin: null', { origin: 'null' }],
        ['a look-alike suffix', { origin: 'http://app.test.evil.test' }],
        ['another port', { origin: 'http://app.test:8080' }],
        ['a subdomain', { origin: 'http://sub.app.test' }],
        ['an unparsable Origin', { origin: 'not a url' }],
        ['userinfo pointing elsewhere', { origin: 'http://app.test@evil.test' }],
        ['Sec-Fetch-Site: cross-site without Origin', { 'sec-fetch-site': 'cross-site' }],
        ['Sec-Fetch-Site: same-site without Origin', { 'sec-fetch-site': 'same-site' }],
        ['an unknown Sec-Fetch-Site without Origin', { 'sec-fetch-site': 'bogus' }],
        // Browsers send Origin on every POST: a POST with neither header is no browser's, and must say where it is from.
        ['neither Origin nor Sec-Fetch-Site', {}],
        ['Sec-Fetch-Site: none without Origin', { 'sec-fetch-site': 'none' }],
        [
          'a cross-site Origin with Sec-Fetch-Site: same-origin',
          { origin: 'https://evil.test', 'sec-fetch-site': 'same-origin' },
        ],
      ]

      it.each(refused)('refuses %s before reading the body or counting an attempt', async (_, headers) => {
        const authenticate = vi.fn(async () => null)
        const { baton } = await testBaton(store(), { authenticate })
        const spy = vi.spyOn(baton.engine.store, 'consumeRateLimit')
        const response = await baton.handlers.POST(
          raw('{"not json', { 'content-type': 'application/json', ...headers }),
        )
        const error = await expectError(response, 403, 'ERR_CSRF')
        expect(error.message).toBe('Cross-site request refused.')
        expect(authenticate).not.toHaveBeenCalled()
        expect(spy).not.toHaveBeenCalled()
      })

      const admitted: [string, Record<string, string>][] = [
        ['the same origin', { origin: ORIGIN }],
        ['the same origin, upper case host', { origin: 'http://APP.test' }],
        ['https Origin for an http request (TLS-terminating proxy)', { origin: 'https://app.test' }],
        ['Sec-Fetch-Site: same-origin', { 'sec-fetch-site': 'same-origin' }],
        ['a same Origin with Sec-Fetch-Site: same-origin', { origin: ORIGIN, 'sec-fetch-site': 'same-origin' }],
      ]

      it.each(admitted)('admits %s', async (_, headers) => {
        const { baton } = await testBaton(store())
        const { email } = await freshUser()
        const response = await baton.handlers.POST(
          raw(JSON.stringify({ email, password: PASSWORD }), { 'content-type': 'application/json', ...headers }),
        )
        expect(response.status).toBe(200)
      })

      it('admits an origin listed in allowedOrigins, and only that one', async () => {
        const { baton } = await testBaton(store(), { allowedOrigins: ['https://admin.test'] })
        const { email } = await freshUser()
        const body = JSON.stringify({ email, password: PASSWORD })
        const ok = await baton.handlers.POST(
          raw(body, { 'content-type': 'application/json', origin: 'https://admin.test' }),
        )
        expect(ok.status).toBe(200)
        for (const origin of ['http://admin.test', 'https://admin.test:444', 'https://x.admin.test']) {
          await expectError(
            await baton.handlers.POST(raw(body, { 'content-type': 'application/json', origin })),
            403,
            'ERR_CSRF',
          )
        }
      })

      it('compares against the Host header when present', async () => {
        const { baton } = await testBaton(store())
        const { email } = await freshUser()
        const body = JSON.stringify({ email, password: PASSWORD })
        // The URL says app.test, but the request arrived for www.app.test (e.g. behind a rewrite).
        const response = await baton.handlers.POST(
          raw(body, { 'content-type': 'application/json', origin: 'https://www.app.test', host: 'www.app.test' }),
        )
        expect(response.status).toBe(200)
        await expectError(
          await baton.handlers.POST(
            raw(body, { 'content-type': 'application/json', origin: ORIGIN, host: 'www.app.test' }),
          ),
          403,
          'ERR_CSRF',
        )
      })
    })

    describe('uniform failure', () => {
      it('answers an unknown account and a wrong password identically, both after scrypt', async () => {
        const { baton } = await testBaton(store())
        const { email } = await freshUser()
        const time = async (body: object) => {
          const started = performance.now()
          const response = await baton.handlers.POST(request(LOGIN, { method: 'POST', json: body }))
          const ms = performance.now() - started
          return { status: response.status, headers: [...response.headers], body: await response.json(), ms }
        }
        const wrong = await time({ email, password: 'wrong-password' })
        const unknown = await time({ email: `nobody-${Date.now()}@example.com`, password: 'wrong-password' })
        expect(unknown.status).toBe(401)
        expect(unknown.body).toEqual({
          error: { code: 'ERR_INVALID_CREDENTIALS', message: 'The email or password is incorrect.' },
        })
        expect(wrong.body).toEqual(unknown.body)
        expect(wrong.status).toBe(unknown.status)
        expect(wrong.headers).toEqual(unknown.headers)
        // Both paths run scrypt (verifyPassword(…, null) hashes a dummy): neither is an order of magnitude faster.
        expect(unknown.ms).toBeGreaterThan(wrong.ms / 4)
        expect(wrong.ms).toBeGreaterThan(unknown.ms / 4)
        expect(unknown.ms).toBeGreaterThan(20)
      })

      it('treats authenticate returning undefined as a failed sign-in', async () => {
        const { baton } = await testBaton(store(), { authenticate: async () => undefined as never })
        await expectError(
          await baton.handlers.POST(request(LOGIN, { method: 'POST', json: { email: 'x@y.z', password: 'p' } })),
          401,
          'ERR_INVALID_CREDENTIALS',
        )
      })
    })

    describe('authenticate misbehaving', () => {
      it.each([
        ['an Error', new Error('connect ECONNREFUSED 10.0.0.5:5432 password=hunter2')],
        ['a string', 'db exploded: secret-detail'],
        ['a TypeError', new TypeError("Cannot read properties of undefined (reading 'secret-detail')")],
      ])('throwing %s answers 503 without leaking the message', async (_, thrown) => {
        const log = vi.spyOn(console, 'error').mockImplementation(() => undefined)
        const { baton } = await testBaton(store(), {
          authenticate: async () => {
            throw thrown
          },
        })
        const { email } = await freshUser()
        const response = await baton.handlers.POST(request(LOGIN, { method: 'POST', json: { email, password: 'p' } }))
        const text = await response.clone().text()
        await expectError(response, 503, 'ERR_INTERNAL')
        expect(text).not.toMatch(/secret-detail|hunter2|ECONNREFUSED|TypeError/)
        expect(response.headers.getSetCookie()).toEqual([])
        expect(log).toHaveBeenCalled()
      })

      it('a BatonError thrown by authenticate passes through (e.g. a locked account)', async () => {
        const { BatonError } = await import('@baton/core')
        const { baton } = await testBaton(store(), {
          authenticate: async () => {
            throw new BatonError('ERR_FORBIDDEN', 'This account is locked.')
          },
        })
        const error = await expectError(
          await baton.handlers.POST(request(LOGIN, { method: 'POST', json: { email: 'l@x.y', password: 'p' } })),
          403,
          'ERR_FORBIDDEN',
        )
        expect(error.message).toBe('This account is locked.')
      })

      const circular: Record<string, unknown> = { id: 'circular-user' }
      circular.self = circular
      it.each([
        ['an object without id', { email: 'x' }, /`authenticate` must return/],
        ['an empty id', { id: '' }, /`authenticate` must return/],
        ['a numeric id', { id: 42 }, /`authenticate` must return/],
        ['a string', 'user-1', /`authenticate` must return/],
        ['true', true, /`authenticate` must return/],
        ['an array', ['user-1'], /`authenticate` must return/],
        ['an id over 255 characters', { id: 'u'.repeat(256) }, /at most 255/],
        ['a BigInt member', { id: 'big-user', n: 10n }, /not JSON-serialisable/],
        ['a circular snapshot', circular, /not JSON-serialisable/],
        ['a toJSON that drops the id', { id: 'u1', toJSON: () => ({ name: 'x' }) }, /`authenticate` must return/],
      ])('returning %s answers 500 ERR_CONFIG and starts no session', async (_, user, message) => {
        const log = vi.spyOn(console, 'error').mockImplementation(() => undefined)
        const { baton } = await testBaton(store(), { authenticate: async () => user as never })
        const create = vi.spyOn(baton.engine.store, 'createSession')
        const { email } = await freshUser()
        const response = await baton.handlers.POST(request(LOGIN, { method: 'POST', json: { email, password: 'p' } }))
        const error = await expectError(response, 500, 'ERR_CONFIG')
        // The client gets a generic message; the detail goes to the server log.
        expect(error.message).toBe('The server is misconfigured; see its log.')
        expect(logged(log)).toMatch(message)
        expect(response.headers.getSetCookie()).toEqual([])
        expect(create).not.toHaveBeenCalled()
      })

      it('a user snapshot too large for a cookie answers ERR_CONFIG instead of dropping the cookie', async () => {
        const log = vi.spyOn(console, 'error').mockImplementation(() => undefined)
        const big = 'x'.repeat(MAX_COOKIE_TOKEN_LENGTH)
        const { baton } = await testBaton(store(), { authenticate: async () => ({ id: 'big-snapshot', bio: big }) })
        const response = await baton.handlers.POST(
          request(LOGIN, { method: 'POST', json: { email: 'big@example.com', password: 'p' } }),
        )
        await expectError(response, 500, 'ERR_CONFIG')
        expect(logged(log)).toMatch(/too large for a cookie/)
        expect(response.headers.getSetCookie()).toEqual([])
        // The session that could not be delivered is not left behind in the device list.
        expect(await baton.engine.listSessions({ subject: 'big-snapshot' })).toEqual([])
      })

      it('a snapshot just under the limit still fits in the cookie', async () => {
        const { baton } = await testBaton(store(), {
          authenticate: async () => ({ id: 'mid-snapshot', bio: 'y'.repeat(2000) }),
        })
        const response = await baton.handlers.POST(
          request(LOGIN, { method: 'POST', json: { email: 'mid@example.com', password: 'p' } }),
        )
        expect(response.status).toBe(200)
        for (const line of response.headers.getSetCookie()) expect(line.length).toBeLessThan(4096)
      })
    })
  })
}

/** Everything a console.error spy received, as text (error messages included). */
function logged(spy: { mock: { calls: unknown[][] } }): string {
  return spy.mock.calls
    .flat()
    .map((x) => (x instanceof Error ? `${x.message} ${String((x as { cause?: unknown }).cause ?? '')}` : String(x)))
    .join(' ')
}
