import { MemorySessionStore } from '@baton/core'
import { describe, expect, it } from 'vitest'
import { createBaton } from '../create-baton.js'
import { SECRET } from '../test-app.fixture.js'
import { resolveUpstreamOptions } from './upstream-options.js'

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
    [{ url: 'http://api.test', timeoutMs: 5000, leaseMs: 5000 }, /leaseMs/],
    [{ url: 'http://api.test', refreshLeeway: Number.NaN }, /refreshLeeway/],
  ])('refuses %j', (input, message) => {
    expect(() => resolveUpstreamOptions(input)).toThrow(message)
    expect(() => createBaton({ store: new MemorySessionStore(), secret: SECRET, upstream: input })).toThrow(message)
  })

  it('needs authenticate or upstream', () => {
    expect(() => createBaton({ store: new MemorySessionStore(), secret: SECRET })).toThrow(/authenticate/)
    const baton = createBaton({ store: new MemorySessionStore(), secret: SECRET, upstream: { url: 'http://a.test' } })
    expect(baton.upstream.enabled).toBe(true)
  })
})
