import { ConfigError, MemorySessionStore } from '@baton/core'
import { resolveUpstreamOptions } from '@baton/core/internal'
import { describe, expect, it } from 'vitest'
import { createBaton } from '../create-baton.js'
import { SECRET } from '../test-app.fixture.js'

/** Upstream options are checked at startup: a mistake fails createBaton, not a request. */
describe('upstream options', () => {
  it('applies the documented defaults', () => {
    const resolved = resolveUpstreamOptions({ url: 'http://api.test:4000/' })
    expect(resolved).toMatchObject({
      url: 'http://api.test:4000',
      timeoutMs: 5000,
      logoutTimeoutMs: 2000,
      refreshLeewayMs: 30_000,
      retries: 2,
      retryDelayMs: 100,
      leaseMs: 10_000,
    })
    expect(resolved.toUser({ id: 7, email: 'a@b.c' })).toEqual({ id: '7', email: 'a@b.c' })
    expect(() => resolved.toUser({ email: 'no-id@b.c' })).toThrow(/toUser/)
  })

  it.each([
    [{ url: 'not a url' }, /absolute http/],
    [{ url: 'ftp://api.test' }, /http\(s\)/],
    [{ url: 'http://api.test', timeoutMs: -1 }, /timeoutMs/],
    [{ url: 'http://api.test', timeoutMs: 5000, leaseMs: 5000 }, /`upstream.lease` must be longer/],
    [{ url: 'http://api.test', timeout: 5, lease: 5 }, /`upstream.lease` must be longer/],
    [{ url: 'http://api.test', timeout: 0 }, /`upstream.timeout` must be a number of seconds > 0/],
    [{ url: 'http://api.test', timeout: 5000 }, /`upstream.timeout` is in seconds.*Did you pass milliseconds\?/],
    [{ url: 'http://api.test', retryDelay: 100 }, /`upstream.retryDelay` is in seconds.*milliseconds\?/],
    [{ url: 'http://api.test', refreshLeeway: 30_000 }, /`upstream.refreshLeeway` is in seconds.*milliseconds\?/],
    [{ url: 'http://api.test', refreshLeeway: Number.NaN }, /refreshLeeway/],
  ])('refuses %j', (input, message) => {
    expect(() => resolveUpstreamOptions(input)).toThrow(message)
    expect(() => createBaton({ store: new MemorySessionStore(), secret: SECRET, upstream: input })).toThrow(message)
  })

  it.each([
    ['timeout', 'timeoutMs', 'timeoutMs', 7, 7000],
    ['logoutTimeout', 'logoutTimeoutMs', 'logoutTimeoutMs', 1.5, 1500],
    ['retryDelay', 'retryDelayMs', 'retryDelayMs', 0.25, 250],
    ['lease', 'leaseMs', 'leaseMs', 20, 20_000],
  ] as const)(
    '%s is in seconds; the deprecated %s (ms) still works; both is a ConfigError',
    (name, legacy, field, s, ms) => {
      const url = 'http://api.test'
      expect(resolveUpstreamOptions({ url, [name]: s })[field]).toBe(ms)
      expect(resolveUpstreamOptions({ url, [legacy]: ms })[field]).toBe(ms)
      expect(() => resolveUpstreamOptions({ url, [name]: s, [legacy]: ms })).toThrow(
        new ConfigError(`Pass \`upstream.${name}\` (seconds) or the deprecated \`upstream.${legacy}\`, not both.`),
      )
    },
  )

  it('defaults the lease to the timeout + 5 s, whichever name gave the timeout', () => {
    expect(resolveUpstreamOptions({ url: 'http://api.test', timeout: 2 }).leaseMs).toBe(7000)
    expect(resolveUpstreamOptions({ url: 'http://api.test', timeoutMs: 2000 }).leaseMs).toBe(7000)
  })

  it("upstream.refreshLeeway is seconds, like Baton's own", () => {
    expect(resolveUpstreamOptions({ url: 'http://api.test', refreshLeeway: 12 }).refreshLeewayMs).toBe(12_000)
  })

  it('needs authenticate or upstream', () => {
    expect(() => createBaton({ store: new MemorySessionStore(), secret: SECRET })).toThrow(/authenticate/)
    const baton = createBaton({ store: new MemorySessionStore(), secret: SECRET, upstream: { url: 'http://a.test' } })
    expect(baton.upstream.enabled).toBe(true)
  })
})
