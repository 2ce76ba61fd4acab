/**
 * Test utilities for anyone writing a Baton session store: the contract as
 * vitest suites — one per interface — plus fixtures and a manual clock.
 *
 * ```ts
 * // A full SessionStore (token families, rate limits, session data):
 * import { describeStoreConformance } from '@baton/core/testing'
 * describeStoreConformance('my store', { createStore: () => makeStore() })
 *
 * // Only what your store implements:
 * import { describeSessionEngineContract, describeTokenFamilyStoreContract } from '@baton/core/testing'
 * describeTokenFamilyStoreContract('my store', { createStore: () => makeStore() })
 * describeSessionEngineContract('my store', { createStore: () => makeStore() })
 * ```
 */
import { describeSessionEngineContract } from './engine-conformance.js'
import { describeSessionStoreContract, type StoreConformanceOptions } from './store-conformance.js'

export { describeSessionEngineContract } from './engine-conformance.js'
export { type ManualClock, manualClock, sessionRecord, tokenRecord } from './fixtures.js'
export { describeRateLimitStoreContract } from './rate-limit-conformance.js'
export { describeSessionDataStoreContract } from './session-data-conformance.js'
export { describeSessionStoreContract, type StoreConformanceOptions, useStore } from './store-conformance.js'
export { describeTokenFamilyStoreContract } from './token-family-conformance.js'
export { tokenFamilyOnlyStore } from './token-family-only.js'

/**
 * Runs the three store contracts (token families, rate limits, session data)
 * and the engine's rotation semantics against a full `SessionStore`.
 */
export function describeStoreConformance(name: string, options: StoreConformanceOptions): void {
  describeSessionStoreContract(name, options)
  describeSessionEngineContract(name, options)
}
