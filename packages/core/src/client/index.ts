/**
 * Browser-safe building blocks shared by `@baton/react` and `@baton/axios`.
 * Nothing here touches keys, secrets or databases.
 */
export { BatonError, type BatonErrorCode, isBatonError } from '../errors.js'
export type { SessionInfo } from '../issued-session.js'
export {
  type AuthClient,
  type AuthClientEvent,
  type AuthClientOptions,
  type AuthError,
  type AuthState,
  type ClientSession,
  createAuthClient,
} from './auth-client.js'
export { type Observable, type Subject, subject } from './observable.js'
export { type RefreshScheduler, type RefreshSchedulerOptions, refreshScheduler } from './refresh-scheduler.js'
export { type SingleFlight, singleFlight } from './single-flight.js'
