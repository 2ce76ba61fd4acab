/**
 * Test utilities for anyone writing a Baton session store: the contract as
 * vitest suites, plus fixtures and a manual clock.
 *
 * ```ts
 * import { describeStoreConformance } from '@baton/core/testing'
 * describeStoreConformance('my store', { createStore: () => makeStore() })
 * ```
 */
import { describeSessionEngineContract } from './engine-conformance.js'
import { describeSessionStoreContract, type StoreConformanceOptions } from './store-conformance.js'

export { describeSessionEngineContract } from './engine-conformance.js'
export { type ManualClock, manualClock, sessionRecord, tokenRecord } from './fixtures.js'
export { describeSessionStoreContract, type StoreConformanceOptions, useStore } from './store-conformance.js'

/** Runs the store contract and the engine's rotation semantics against a store. */
export function describeStoreConformance(name: string, options: StoreConformanceOptions): void {
  describeSessionStoreContract(name, options)
  describeSessionEngineContract(name, options)
}
