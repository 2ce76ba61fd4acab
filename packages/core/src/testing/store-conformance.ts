import { describeRateLimitStoreContract } from './rate-limit-conformance.js'
import { describeSessionDataStoreContract } from './session-data-conformance.js'
import { describeTokenFamilyStoreContract } from './token-family-conformance.js'
import type { StoreConformanceOptions } from './use-store.js'

export { type StoreConformanceOptions, useStore } from './use-store.js'

/**
 * The whole `SessionStore` contract — {@link describeTokenFamilyStoreContract},
 * {@link describeRateLimitStoreContract} and
 * {@link describeSessionDataStoreContract} — as executable tests (vitest).
 * Call it at the top level of a test file with a factory for your store:
 *
 * ```ts
 * describeSessionStoreContract('my store', { createStore: () => new MyStore(db) })
 * ```
 */
export function describeSessionStoreContract(name: string, options: StoreConformanceOptions): void {
  describeTokenFamilyStoreContract(name, options)
  describeRateLimitStoreContract(name, options)
  describeSessionDataStoreContract(name, options)
}
