import { describe, expect, it, vi } from 'vitest'
import { MemorySessionStore, RateLimitedError } from '../../index.js'
import { sha256 } from '../../internal.js'
import type { BatonOptions } from '../options.js'
import { resolveBatonOptions } from '../resolve-options.js'
import { consumeLoginAttempt } from './rate-limit.js'

function options(overrides: Partial<BatonOptions> = {}) {
  return resolveBatonOptions({ authenticate: async () => null, ...overrides } as BatonOptions)
}

const NOW = Date.UTC(2026, 0, 1)

describe('consumeLoginAttempt', () => {
  it('counts (IP bucket, account) at `limit` and the account at `accountLimit`', async () => {
    const store = new MemorySessionStore()
    const spy = vi.spyOn(store, 'consumeRateLimit')
    const keys = await consumeLoginAttempt(store, options(), { ip: '2001:db8:1:2:0:0:0:1', account: 'a@b.c', now: NOW })
    const hash = await sha256('a@b.c')
    expect(keys).toEqual([`login:ip-account:2001:db8:1:2::/64:${hash}`, `login:account:${hash}`])
    expect(spy.mock.calls.map(([input]) => [input.key, input.limit, input.windowMs])).toEqual([
      [keys[0], 5, 60_000],
      [keys[1], 20, 60_000],
    ])
  })

  it('with no IP counts only the account, at the stricter `limit`', async () => {
    const store = new MemorySessionStore()
    const spy = vi.spyOn(store, 'consumeRateLimit')
    const keys = await consumeLoginAttempt(store, options(), { ip: null, account: 'a@b.c', now: NOW })
    expect(keys).toEqual([`login:account:${await sha256('a@b.c')}`])
    expect(spy.mock.calls[0]?.[0]).toMatchObject({ limit: 5 })
  })

  it('never puts the raw account in a key (NUL, SQL, a password typed as the email)', async () => {
    const store = new MemorySessionStore()
    for (const account of ['a\u0000b', "' OR 1=1 --", 'hunter2', 'x'.repeat(5000), '\ud800']) {
      const keys = await consumeLoginAttempt(store, options(), { ip: '192.0.2.1', account, now: NOW })
      for (const key of keys) {
        expect(key).toMatch(/^login:(ip-account:192\.0\.2\.1|account):[A-Za-z0-9_-]{43}$/)
        if (account.length > 3) expect(key).not.toContain(account)
      }
    }
  })

  it('throws RateLimitedError with a whole-second retryAfter', async () => {
    const store = new MemorySessionStore()
    const o = options({ rateLimit: { limit: 2, window: 10 } })
    const input = { ip: '192.0.2.1', account: 'a@b.c', now: NOW }
    await consumeLoginAttempt(store, o, input)
    await consumeLoginAttempt(store, o, { ...input, now: NOW + 1 })
    const error = await consumeLoginAttempt(store, o, { ...input, now: NOW + 2_500 }).catch((e) => e)
    expect(error).toBeInstanceOf(RateLimitedError)
    expect(error.retryAfter).toBe(8)
    expect(error.status).toBe(429)
  })

  it('does nothing when rate limiting is off', async () => {
    const store = new MemorySessionStore()
    const spy = vi.spyOn(store, 'consumeRateLimit')
    expect(
      await consumeLoginAttempt(store, options({ rateLimit: false }), { ip: null, account: 'a', now: NOW }),
    ).toEqual([])
    expect(spy).not.toHaveBeenCalled()
  })
})
