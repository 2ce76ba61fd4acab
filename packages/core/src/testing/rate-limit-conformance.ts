import { describe, expect, it } from 'vitest'
import { randomId } from '../internal/encoding.js'
import type { RateLimitStore, TokenFamilyStore } from '../session-store.js'
import { type StoreConformanceOptions, useStore } from './use-store.js'

const T0 = Date.UTC(2026, 0, 1)

/**
 * The {@link RateLimitStore} contract as executable tests (vitest): atomic
 * fixed-window counts under concurrent callers, reset, and — when the store
 * also has `prune()` — removal of stale counters only.
 *
 * ```ts
 * describeRateLimitStoreContract('my store', { createStore: () => new MyStore(db) })
 * ```
 */
export function describeRateLimitStoreContract(name: string, options: StoreConformanceOptions<RateLimitStore>): void {
  const n = options.concurrency ?? 25
  describe(`${name}: RateLimitStore contract`, () => {
    const store = useStore(options)

    it(`counts rate-limit attempts atomically (${n} concurrent, limit ${Math.floor(n / 2)})`, async () => {
      const key = `login:${randomId(6)}`
      const limit = Math.floor(n / 2)
      const input = { key, limit, windowMs: 60_000, now: T0 }
      const results = await Promise.all(Array.from({ length: n }, () => store().consumeRateLimit(input)))
      expect(results.map((r) => r.count).sort((x, y) => x - y)).toEqual(Array.from({ length: n }, (_, i) => i + 1))
      expect(results.filter((r) => r.allowed)).toHaveLength(limit)
      expect(new Set(results.map((r) => r.resetAt))).toEqual(new Set([T0 + 60_000]))
      const later = await store().consumeRateLimit({ ...input, now: T0 + 60_000 })
      expect(later).toEqual({ allowed: true, count: 1, resetAt: T0 + 120_000 })
      await store().resetRateLimit(key)
      expect((await store().consumeRateLimit({ ...input, now: T0 + 60_001 })).count).toBe(1)
    })

    it('prunes counters whose window ended, in bounded batches, and keeps live ones', async (context) => {
      const prune = (store() as RateLimitStore & Partial<Pick<TokenFamilyStore, 'prune'>>).prune
      if (typeof prune !== 'function') {
        context.skip('this store has no prune(): pruning its counters is up to it')
        return
      }
      const now = T0 + 40 * 86_400_000
      await store().consumeRateLimit({ key: `old:${randomId(4)}`, limit: 5, windowMs: 1000, now: T0 })
      const fresh = `fresh:${randomId(4)}`
      await store().consumeRateLimit({ key: fresh, limit: 5, windowMs: 60_000, now })
      let total = 0
      for (let pass = 0; pass < 50; pass++) {
        const r = await prune.call(store(), { now, batchSize: 1, revokedRetentionMs: 7 * 86_400_000 })
        expect(r.rateLimits).toBeLessThanOrEqual(1)
        total += r.rateLimits
        if (r.rateLimits === 0) break
      }
      expect(total).toBeGreaterThanOrEqual(1)
      expect((await store().consumeRateLimit({ key: fresh, limit: 5, windowMs: 60_000, now })).count).toBe(2)
    })
  })
}
