import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Baton } from '../create-baton.js'
import type { AuthenticatedUser, BatonOptions, Credentials } from '../options.js'
import { PASSWORD, request, testBaton } from '../test-app.fixture.js'
import { expectError, freshUser, routeBackends, useBackend } from './routes.fixture.js'

/** A cheap authenticate (no scrypt): `right` is the one good password. */
const cheap = vi.fn(
  async (credentials: Credentials): Promise<AuthenticatedUser | null> =>
    credentials.password === 'right' ? { id: `id-${credentials.email}` } : null,
)

let seq = 0
const account = () => `rl-${++seq}-${Math.random().toString(36).slice(2, 8)}@example.com`

function attempt(baton: Baton, email: string, xff?: string, password = 'wrong', extra: Record<string, string> = {}) {
  const headers: Record<string, string> = { ...extra }
  if (xff !== undefined) headers['x-forwarded-for'] = xff
  return baton.handlers.POST(request('/api/auth/login', { method: 'POST', headers, json: { email, password } }))
}

async function statuses(responses: Promise<Response>[] | Response[]): Promise<number[]> {
  return (await Promise.all(responses)).map((r) => r.status)
}

async function expectLimited(response: Response, maxSeconds = 60): Promise<number> {
  const retryAfter = response.headers.get('retry-after')
  const error = await expectError(response, 429, 'ERR_RATE_LIMITED')
  expect(error.message).toBe('Too many attempts. Try again later.')
  expect(retryAfter).toMatch(/^[1-9]\d*$/)
  const seconds = Number(retryAfter)
  expect(seconds).toBeGreaterThanOrEqual(1)
  expect(seconds).toBeLessThanOrEqual(maxSeconds)
  return seconds
}

afterEach(() => {
  cheap.mockClear()
})

for (const backend of routeBackends) {
  describe(`login rate limit on ${backend.name}`, () => {
    const store = useBackend(backend)
    const make = (overrides: Partial<BatonOptions> = {}) => testBaton(store(), { authenticate: cheap, ...overrides })

    it('allows 5 attempts per (IP, account) in 60 s; the 6th gets 429 with Retry-After, without authenticate', async () => {
      const { baton } = await make()
      const email = account()
      for (let i = 0; i < 5; i++)
        await expectError(await attempt(baton, email, '198.51.100.1'), 401, 'ERR_INVALID_CREDENTIALS')
      expect(cheap).toHaveBeenCalledTimes(5)
      expect(await expectLimited(await attempt(baton, email, '198.51.100.1'))).toBe(60)
      // Even the right password is refused while limited, and authenticate is not consulted.
      const limited = await attempt(baton, email, '198.51.100.1', 'right')
      await expectLimited(limited)
      expect(limited.headers.getSetCookie()).toEqual([])
      expect(cheap).toHaveBeenCalledTimes(5)
    })

    it('counts down Retry-After and opens again after the window', async () => {
      const { baton, clock } = await make()
      const email = account()
      for (let i = 0; i < 5; i++) await attempt(baton, email, '198.51.100.2')
      clock.advance(30_500)
      expect(await expectLimited(await attempt(baton, email, '198.51.100.2'))).toBe(30)
      clock.advance(29_000)
      expect(await expectLimited(await attempt(baton, email, '198.51.100.2'))).toBe(1)
      clock.advance(1_000)
      await expectError(await attempt(baton, email, '198.51.100.2'), 401, 'ERR_INVALID_CREDENTIALS')
    })

    it('a short window gives Retry-After of at least 1', async () => {
      const { baton, clock } = await make({ rateLimit: { limit: 1, window: 1 } })
      const email = account()
      await attempt(baton, email, '198.51.100.3')
      clock.advance(999)
      expect(await expectLimited(await attempt(baton, email, '198.51.100.3'), 1)).toBe(1)
    })

    it('another IP is not limited until the per-account limit (20) is reached', async () => {
      const { baton } = await make()
      const email = account()
      for (let i = 0; i < 5; i++) await attempt(baton, email, '198.51.100.10')
      await expectLimited(await attempt(baton, email, '198.51.100.10'))
      // Attempts refused by the (IP, account) limit did not count against the account.
      for (const ip of ['198.51.100.11', '198.51.100.12', '198.51.100.13']) {
        expect(await statuses([attempt(baton, email, ip), attempt(baton, email, ip)])).toEqual([401, 401])
        for (let i = 0; i < 3; i++) expect((await attempt(baton, email, ip)).status).toBe(401)
      }
      // 20 attempts counted for the account: a fresh IP is refused now, and so is the right password.
      await expectLimited(await attempt(baton, email, '198.51.100.14'))
      await expectLimited(await attempt(baton, email, '203.0.113.99', 'right'))
      // Another account from the same IPs is untouched.
      await expectError(await attempt(baton, account(), '198.51.100.10'), 401, 'ERR_INVALID_CREDENTIALS')
    })

    it('two concurrent attempts at the limit: exactly one 429', async () => {
      const { baton } = await make()
      const email = account()
      for (let i = 0; i < 4; i++) await attempt(baton, email, '198.51.100.20')
      const results = await statuses([attempt(baton, email, '198.51.100.20'), attempt(baton, email, '198.51.100.20')])
      expect(results.sort()).toEqual([401, 429])
    })

    it('12 concurrent attempts on a fresh bucket: exactly 5 get through', async () => {
      const { baton } = await make()
      const email = account()
      const results = await statuses(Array.from({ length: 12 }, () => attempt(baton, email, '198.51.100.21')))
      expect(results.filter((s) => s === 401)).toHaveLength(5)
      expect(results.filter((s) => s === 429)).toHaveLength(7)
    })

    it('with trustProxy 0 (default) X-Forwarded-For is ignored: rotating it does not escape the account bucket', async () => {
      const { baton } = await make({ trustProxy: 0 })
      const email = account()
      for (let i = 0; i < 5; i++) {
        await expectError(await attempt(baton, email, `192.0.2.${i + 1}`), 401, 'ERR_INVALID_CREDENTIALS')
      }
      await expectLimited(await attempt(baton, email, '192.0.2.200'))
      await expectLimited(await attempt(baton, email))
    })

    it('with trustProxy 0 the session records no IP, whatever X-Forwarded-For says', async () => {
      const { baton } = await testBaton(store(), { trustProxy: 0 })
      const { email, id } = await freshUser()
      const ok = await attempt(baton, email, '192.0.2.1', PASSWORD)
      expect(ok.status).toBe(200)
      expect((await ok.json()).session.ip).toBeNull()
      expect((await baton.engine.listSessions({ subject: id }))[0]?.ip).toBeNull()
    })

    it('trustProxy 1 takes the rightmost X-Forwarded-For entry, not the client-supplied left ones', async () => {
      const { baton } = await make()
      const email = account()
      for (let i = 0; i < 5; i++) await attempt(baton, email, `10.0.0.${i}, 198.51.100.30`)
      await expectLimited(await attempt(baton, email, '10.9.9.9, 198.51.100.30'))
      await expectError(await attempt(baton, email, '198.51.100.30, 198.51.100.31'), 401, 'ERR_INVALID_CREDENTIALS')
    })

    it('trustProxy 2 takes the second entry from the right', async () => {
      const { baton } = await make({ trustProxy: 2 })
      const email = account()
      for (let i = 0; i < 5; i++) await attempt(baton, email, `6.6.6.${i}, 198.51.100.40, 10.0.0.1`)
      await expectLimited(await attempt(baton, email, '198.51.100.40, 10.0.0.2'))
      await expectError(await attempt(baton, email, '198.51.100.41, 10.0.0.1'), 401, 'ERR_INVALID_CREDENTIALS')
    })

    it('IPv6 clients in one /64 share a bucket; another /64 does not', async () => {
      const { baton } = await make()
      const email = account()
      const same = [
        '2001:db8:1:2::1',
        '2001:DB8:1:2:ffff::9',
        '2001:0db8:0001:0002:aaaa:bbbb:cccc:dddd',
        '[2001:db8:1:2::5]',
        '2001:db8:1:2::1%eth0',
      ]
      for (const ip of same) await expectError(await attempt(baton, email, ip), 401, 'ERR_INVALID_CREDENTIALS')
      await expectLimited(await attempt(baton, email, '2001:db8:1:2:1:2:3:4'))
      await expectError(await attempt(baton, email, '2001:db8:1:3::1'), 401, 'ERR_INVALID_CREDENTIALS')
    })

    it('an IPv4-mapped IPv6 address is the same client as the IPv4 address', async () => {
      const { baton } = await make()
      const email = account()
      for (let i = 0; i < 5; i++) await attempt(baton, email, i % 2 ? '::ffff:192.0.2.77' : '::FFFF:192.0.2.77')
      await expectLimited(await attempt(baton, email, '192.0.2.77'))
      await expectError(await attempt(baton, email, '192.0.2.78'), 401, 'ERR_INVALID_CREDENTIALS')
    })

    it('a successful sign-in resets the (IP, account) bucket', async () => {
      const { baton } = await make()
      const email = account()
      for (let i = 0; i < 4; i++) await attempt(baton, email, '198.51.100.50')
      expect((await attempt(baton, email, '198.51.100.50', 'right')).status).toBe(200)
      for (let i = 0; i < 5; i++)
        await expectError(await attempt(baton, email, '198.51.100.50'), 401, 'ERR_INVALID_CREDENTIALS')
      await expectLimited(await attempt(baton, email, '198.51.100.50'))
    })

    it('the account key ignores case, surrounding space and compatibility forms', async () => {
      const { baton } = await make()
      const tag = Math.random().toString(36).slice(2, 8)
      const forms = [
        `ada-${tag}@example.com`,
        `ADA-${tag}@EXAMPLE.COM`,
        ` ada-${tag}@example.com `,
        `ａｄａ-${tag}@example.com`,
        `Ada-${tag}@Example.com`,
      ]
      for (const email of forms)
        await expectError(await attempt(baton, email, '198.51.100.60'), 401, 'ERR_INVALID_CREDENTIALS')
      await expectLimited(await attempt(baton, `ada-${tag}@example.com`, '198.51.100.60'))
    })

    it('falls back to username or login for the account key, or a custom accountKey', async () => {
      const { baton } = await make()
      const name = `user-${Math.random().toString(36).slice(2, 8)}`
      const post = (json: object) => baton.handlers.POST(request('/api/auth/login', { method: 'POST', json }))
      for (let i = 0; i < 5; i++) await post(i % 2 ? { username: name, password: 'x' } : { login: name, password: 'x' })
      await expectLimited(await post({ username: name, password: 'x' }))

      const { baton: custom } = await make({ accountKey: (c) => c.tenant ?? null })
      const tenant = `t-${Math.random()}`
      for (let i = 0; i < 5; i++) {
        await custom.handlers.POST(
          request('/api/auth/login', { method: 'POST', json: { tenant, email: `${i}@x.y`, password: 'x' } }),
        )
      }
      await expectLimited(
        await custom.handlers.POST(
          request('/api/auth/login', { method: 'POST', json: { tenant, email: 'new@x.y', password: 'x' } }),
        ),
      )
      await expectError(
        await custom.handlers.POST(
          request('/api/auth/login', { method: 'POST', json: { email: 'a@x.y', password: 'x' } }),
        ),
        400,
        'ERR_BAD_REQUEST',
      )
    })

    it('holds across instances sharing the store', async () => {
      const { baton: a, clock } = await make()
      // One clock for both instances: two clocks a few ms apart would shift the window (Retry-After 61).
      const { baton: b } = await make({ clock })
      const email = account()
      for (let i = 0; i < 5; i++) await attempt(i % 2 ? a : b, email, '198.51.100.70')
      await expectLimited(await attempt(a, email, '198.51.100.70'))
      await expectLimited(await attempt(b, email, '198.51.100.70'))
    })

    it('a custom clientIp wins over X-Forwarded-For and is normalised', async () => {
      const { baton } = await make({ clientIp: (r) => r.headers.get('x-real-ip') })
      const email = account()
      for (let i = 0; i < 5; i++)
        await attempt(baton, email, `203.0.113.${i}`, 'wrong', { 'x-real-ip': '::ffff:198.51.100.80' })
      await expectLimited(await attempt(baton, email, '203.0.113.200', 'wrong', { 'x-real-ip': '198.51.100.80' }))
    })

    it('limits unknown accounts exactly like known ones', async () => {
      const { baton } = await testBaton(store())
      const { email } = await freshUser()
      const unknown = account()
      for (let i = 0; i < 5; i++) {
        await attempt(baton, email, '198.51.100.90')
        await attempt(baton, unknown, '198.51.100.90')
      }
      const [known, missing] = await Promise.all([
        attempt(baton, email, '198.51.100.90'),
        attempt(baton, unknown, '198.51.100.90'),
      ])
      const [k, m] = [await known.json(), await missing.json()]
      expect(k).toEqual(m)
      expect([known.status, missing.status]).toEqual([429, 429])
      expect(known.headers.get('retry-after')).toBe(missing.headers.get('retry-after'))
    })

    it('rateLimit: false never limits', async () => {
      const { baton } = await make({ rateLimit: false })
      const email = account()
      const results = await statuses(Array.from({ length: 30 }, () => attempt(baton, email, '198.51.100.99')))
      expect(new Set(results)).toEqual(new Set([401]))
    })

    it('a failing rate-limit store answers 503 and never signs in', async () => {
      const { baton } = await make()
      const spy = vi.spyOn(store(), 'consumeRateLimit').mockRejectedValueOnce(new Error('connection terminated'))
      try {
        const response = await attempt(baton, account(), '198.51.100.100', 'right')
        const text = await response.clone().text()
        await expectError(response, 503, 'ERR_STORE_UNAVAILABLE')
        expect(text).not.toContain('connection terminated')
        expect(response.headers.getSetCookie()).toEqual([])
        expect(cheap).not.toHaveBeenCalled()
      } finally {
        spy.mockRestore()
      }
    })
  })
}
