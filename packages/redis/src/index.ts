export { type RedisRateLimitsOptions, redisRateLimits, withRateLimits } from './rate-limits.js'
export type { RedisClientLike, RedisMultiLike, RedisSubscriberLike } from './redis-client.js'
export { createRedisRevocationFeed, type RedisRevocationFeedOptions } from './revocation-feed.js'
