import type { RateLimitInput, RateLimitResult, RateLimitStore } from '@baton/core'
import type { RedisClientLike } from './redis-client.js'

/** Options of {@link redisRateLimits}. */
export interface RedisRateLimitsOptions {
  /** Prepended to every rate-limit key. Default `baton:rl:`. */
  prefix?: string
}

/**
 * One fixed-window attempt, atomically: a new window starts at `now` once the
 * stored one has ended. The hash holds count, window start and length; it
 * expires when its window does (measured from the caller's `now`).
 */
const CONSUME = `
local v = redis.call('HMGET', KEYS[1], 'c', 's', 'w')
local now = tonumber(ARGV[1])
local c, s, w = tonumber(v[1]), v[2], v[3]
if not c or tonumber(s) + tonumber(w) <= now then
  c, s, w = 0, ARGV[1], ARGV[2]
end
c = c + 1
redis.call('HSET', KEYS[1], 'c', c, 's', s, 'w', w)
local ttl = tonumber(s) + tonumber(w) - now
if ttl < 1 then ttl = 1 end
redis.call('PEXPIRE', KEYS[1], ttl)
return {c, s, w}
`

/**
 * Login rate limits in Redis, shared by every instance: a {@link RateLimitStore}
 * with the same fixed-window semantics as the SQL and memory stores, each
 * attempt one atomic Lua script (`EVAL`). Combine it with a session store
 * through {@link withRateLimits}.
 */
export function redisRateLimits(client: RedisClientLike, options: RedisRateLimitsOptions = {}): RateLimitStore {
  const prefix = options.prefix ?? 'baton:rl:'
  return {
    async consumeRateLimit(input: RateLimitInput): Promise<RateLimitResult> {
      const reply = await client.sendCommand([
        'EVAL',
        CONSUME,
        '1',
        prefix + input.key,
        String(input.now),
        String(input.windowMs),
      ])
      if (!Array.isArray(reply) || reply.length !== 3) throw new Error('Unexpected reply from the rate-limit script.')
      const count = Number(reply[0])
      return { allowed: count <= input.limit, count, resetAt: Number(reply[1]) + Number(reply[2]) }
    },
    async resetRateLimit(key: string): Promise<void> {
      await client.sendCommand(['DEL', prefix + key])
    },
  }
}

/**
 * `store` with its rate limits kept in `limits` instead: every other method
 * is `store`'s own, called on `store` (stores are class instances with
 * private fields, so methods are bound, not copied).
 */
export function withRateLimits<S extends object>(store: S, limits: RateLimitStore): S & RateLimitStore {
  return new Proxy(store, {
    get(target, property) {
      if (property === 'consumeRateLimit') return limits.consumeRateLimit.bind(limits)
      if (property === 'resetRateLimit') return limits.resetRateLimit.bind(limits)
      const value: unknown = Reflect.get(target, property, target)
      return typeof value === 'function' ? value.bind(target) : value
    },
    has(target, property) {
      return property === 'consumeRateLimit' || property === 'resetRateLimit' || Reflect.has(target, property)
    },
  }) as S & RateLimitStore
}
