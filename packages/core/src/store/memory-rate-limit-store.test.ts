import { describeRateLimitStoreContract } from '../testing/index.js'
import { MemoryRateLimitStore } from './memory-rate-limit-store.js'

// The limiter the engine falls back to when its store is no RateLimitStore.
describeRateLimitStoreContract('MemoryRateLimitStore', { createStore: () => new MemoryRateLimitStore() })
