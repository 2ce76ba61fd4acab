import { MemorySessionStore } from '@baton/core'
import { describeRateLimitStoreContract } from '@baton/core/testing'
import { createClient } from 'redis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { redisRateLimits, withRateLimits } from './rate-limits.js'
import { deleteKeys, REDIS_URL, redisAvailable, testPrefix } from './redis-server.fixture.js'

const available = await redisAvailable()

if (available) {
  const prefix = testPrefix()
  const client = createClient({ url: REDIS_URL })
  beforeAll(async () => {
    await client.connect()
  })
  afterAll(async () => {
    await deleteKeys(client, prefix)
    expect(await client.keys(`${prefix}*`)).toEqual([])
    await client.close()
  })

  describeRateLimitStoreContract('redisRateLimits', { createStore: () => redisRateLimits(client, { prefix }) })

  describe('redisRateLimits', () => {
    const T0 = Date.now()
    it('allows exactly the limit among 20 parallel attempts, resets with the window and on resetRateLimit', async () => {
      const limits = redisRateLimits(client, { prefix })
      const input = { key: 'login:alice', limit: 5, windowMs: 1000, now: T0 }
      const results = await Promise.all(Array.from({ length: 20 }, () => limits.consumeRateLimit(input)))
      expect(results.filter((r) => r.allowed)).toHaveLength(5)
      expect(results.every((r) => r.resetAt === T0 + 1000)).toBe(true)
      expect(await limits.consumeRateLimit({ ...input, now: T0 + 999 })).toMatchObject({ allowed: false, count: 21 })
      expect(await limits.consumeRateLimit({ ...input, now: T0 + 1000 })).toEqual({
        allowed: true,
        count: 1,
        resetAt: T0 + 2000,
      })
      await limits.consumeRateLimit({ ...input, now: T0 + 1001 })
      await limits.resetRateLimit('login:alice')
      expect(await client.exists(`${prefix}login:alice`)).toBe(0)
      expect((await limits.consumeRateLimit({ ...input, now: T0 + 1002 })).count).toBe(1)
      // The counter expires in Redis with its window.
      const ttl = await client.pTTL(`${prefix}login:alice`)
      expect(ttl).toBeGreaterThan(0)
      expect(ttl).toBeLessThanOrEqual(1000)
    })

    it('withRateLimits keeps the store (a class instance) and swaps its rate limits', async () => {
      const store = new MemorySessionStore()
      const combined = withRateLimits(store, redisRateLimits(client, { prefix }))
      const input = { key: 'login:bob', limit: 1, windowMs: 60_000, now: T0 }
      await combined.consumeRateLimit(input)
      expect((await combined.consumeRateLimit(input)).allowed).toBe(false)
      expect((await store.consumeRateLimit(input)).count).toBe(1)
      expect(await client.exists(`${prefix}login:bob`)).toBe(1)
      expect(await combined.getSession('nope')).toBeNull()
      expect('consumeRateLimit' in combined && 'rotateRefreshToken' in combined).toBe(true)
    })
  })
} else {
  console.warn(`[baton] Redis rate-limit tests SKIPPED: no Redis server answers at ${REDIS_URL} (set REDIS_URL).`)
  describe('redisRateLimits', () => {
    it.skip(`SKIPPED: no Redis server at ${REDIS_URL}`, () => {})
  })
}
