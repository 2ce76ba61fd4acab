import { afterEach, beforeEach } from 'vitest'
import type { SessionStore } from '../session-store.js'

/** How the conformance suites get a store (`S`: the part of the contract a suite tests). */
export interface StoreConformanceOptions<S = SessionStore> {
  /** A store for one test. It may be shared between tests: every test uses fresh ids. */
  createStore(): S | Promise<S>
  /** Releases what `createStore` made (close connections, delete files). */
  destroyStore?(store: S): void | Promise<void>
  /** Concurrent callers in the race tests. Default 25. */
  concurrency?: number
}

/** Registers a store, fresh per test, with vitest hooks; returns a getter. */
export function useStore<S>(options: StoreConformanceOptions<S>): () => S {
  let store: S | undefined
  beforeEach(async () => {
    store = await options.createStore()
  })
  afterEach(async () => {
    if (store) await options.destroyStore?.(store)
    store = undefined
  })
  return () => {
    if (!store) throw new Error('No store: useStore() must be called inside describe().')
    return store
  }
}
