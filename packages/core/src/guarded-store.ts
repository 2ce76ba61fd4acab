import { BatonError, ConfigError, StoreUnavailableError } from './errors.js'
import type {
  PruneInput,
  PruneResult,
  RateLimitStore,
  SessionEngineStore,
  SessionStore,
  TokenFamilyStore,
} from './session-store.js'
import { MemoryRateLimitStore } from './store/memory-rate-limit-store.js'

type Method = (...args: unknown[]) => Promise<unknown>

/**
 * Wraps a store so that a driver failure (connection lost, lock timeout)
 * surfaces as `ERR_STORE_UNAVAILABLE` (503) instead of an unknown error: the
 * client may retry, and no session state has changed.
 *
 * It also completes a store that implements only part of the contract:
 * - no {@link RateLimitStore}: attempts are counted in this process's memory
 *   (never unlimited; with several instances each keeps its own count), and
 *   the first count warns once;
 * - no `SessionDataStore`: `updateSessionData` throws `ConfigError`.
 *
 * @throws ConfigError when a token-family method is missing, or only one of
 * the two rate-limit methods is there
 */
export function guardStore(store: SessionEngineStore): SessionStore {
  const guarded = {} as Record<keyof SessionStore, Method>
  for (const name of tokenFamilyMethods) {
    if (typeof store[name] !== 'function') throw new ConfigError(`The session store lacks ${name}().`)
    guarded[name] = guard(store, name)
  }
  const limits = fallbackRateLimits(store)
  if (!limits) {
    for (const name of rateLimitMethods) guarded[name] = guard(store, name)
  } else {
    let warned = false
    guarded.consumeRateLimit = async (input) => {
      if (!warned) {
        warned = true
        console.warn(
          '[baton] The session store implements no rate limits (RateLimitStore): attempts are counted in this ' +
            'process only. With several instances, give the store consumeRateLimit() and resetRateLimit().',
        )
      }
      return limits.consumeRateLimit(input as Parameters<RateLimitStore['consumeRateLimit']>[0])
    }
    guarded.resetRateLimit = async (key) => limits.resetRateLimit(key as string)
    const prune = guarded.prune
    guarded.prune = async (input) => {
      const result = (await prune(input)) as PruneResult
      const counters = await limits.prune(input as PruneInput)
      return { ...result, rateLimits: result.rateLimits + counters.rateLimits }
    }
  }
  guarded.updateSessionData =
    typeof store.updateSessionData === 'function'
      ? guard(store, 'updateSessionData')
      : async () => {
          throw new ConfigError(
            'The session store lacks updateSessionData() (SessionDataStore), which upstream mode needs.',
          )
        }
  return guarded as unknown as SessionStore
}

/** Null when the store implements {@link RateLimitStore}; else an in-memory limiter in its place. */
function fallbackRateLimits(store: SessionEngineStore): MemoryRateLimitStore | null {
  const present = rateLimitMethods.filter((name) => typeof store[name] === 'function')
  if (present.length === rateLimitMethods.length) return null
  if (present.length > 0) {
    throw new ConfigError(`The session store has ${present[0]}() but not the rest of RateLimitStore.`)
  }
  return new MemoryRateLimitStore()
}

/** Not an `async` wrapper: one `.catch` per call instead of a promise and an `await` more on every store call. */
function guard(store: SessionEngineStore, name: keyof SessionStore): Method {
  const fail = (error: unknown): never => {
    if (error instanceof BatonError) throw error
    throw new StoreUnavailableError(undefined, { cause: error })
  }
  return (...args) => {
    try {
      return Promise.resolve((store[name] as Method).apply(store, args)).catch(fail)
    } catch (error) {
      return Promise.reject(error).catch(fail)
    }
  }
}

const tokenFamilyMethods = Object.keys({
  createSession: true,
  findRefreshToken: true,
  rotateRefreshToken: true,
  getSession: true,
  listSessions: true,
  revokeSession: true,
  revokeSubjectSessions: true,
  prune: true,
} satisfies Record<keyof TokenFamilyStore, true>) as (keyof TokenFamilyStore)[]

const rateLimitMethods = Object.keys({
  consumeRateLimit: true,
  resetRateLimit: true,
} satisfies Record<keyof RateLimitStore, true>) as (keyof RateLimitStore)[]
