import { BatonError, ConfigError, StoreUnavailableError } from './errors.js'
import type { SessionStore } from './session-store.js'

/**
 * Wraps a store so that a driver failure (connection lost, lock timeout)
 * surfaces as `ERR_STORE_UNAVAILABLE` (503) instead of an unknown error: the
 * client may retry, and no session state has changed.
 */
export function guardStore(store: SessionStore): SessionStore {
  const guarded = {} as Record<string, unknown>
  for (const name of Object.keys(methods) as (keyof SessionStore)[]) {
    if (typeof store[name] !== 'function') throw new ConfigError(`The session store lacks ${name}().`)
    guarded[name] = async (...args: unknown[]) => {
      try {
        return await (store[name] as (...a: unknown[]) => Promise<unknown>).apply(store, args)
      } catch (error) {
        if (error instanceof BatonError) throw error
        throw new StoreUnavailableError(undefined, { cause: error })
      }
    }
  }
  return guarded as unknown as SessionStore
}

const methods: Record<keyof SessionStore, true> = {
  createSession: true,
  findRefreshToken: true,
  rotateRefreshToken: true,
  getSession: true,
  listSessions: true,
  revokeSession: true,
  revokeSubjectSessions: true,
  updateSessionData: true,
  consumeRateLimit: true,
  resetRateLimit: true,
  prune: true,
}
