import type { PruneInput, PruneResult, RateLimitInput, RateLimitResult, RateLimitStore } from '../session-store.js'

/**
 * Fixed-window attempt counters in process memory. Each call runs without
 * awaiting, so it is atomic within one process; counts are neither shared
 * between processes nor kept across restarts. `MemorySessionStore` keeps its
 * counters here, and the engine falls back to one when its store is no
 * `RateLimitStore`.
 */
export class MemoryRateLimitStore implements RateLimitStore {
  readonly #limits = new Map<string, { count: number; windowStart: number; windowMs: number }>()

  async consumeRateLimit(input: RateLimitInput): Promise<RateLimitResult> {
    const current = this.#limits.get(input.key)
    const bucket =
      current && current.windowStart + current.windowMs > input.now
        ? current
        : { count: 0, windowStart: input.now, windowMs: input.windowMs }
    bucket.count += 1
    this.#limits.set(input.key, bucket)
    return { allowed: bucket.count <= input.limit, count: bucket.count, resetAt: bucket.windowStart + bucket.windowMs }
  }

  async resetRateLimit(key: string): Promise<void> {
    this.#limits.delete(key)
  }

  /** Deletes up to `batchSize` counters whose window ended by `now` (it keeps nothing else). */
  async prune(input: Pick<PruneInput, 'now' | 'batchSize'>): Promise<PruneResult> {
    let rateLimits = 0
    for (const [key, b] of this.#limits) {
      if (rateLimits >= input.batchSize) break
      if (b.windowStart + b.windowMs <= input.now) {
        this.#limits.delete(key)
        rateLimits++
      }
    }
    return { sessions: 0, refreshTokens: 0, rateLimits }
  }
}
