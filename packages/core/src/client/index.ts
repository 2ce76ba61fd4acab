/**
 * Browser-safe building blocks shared by `@baton/react` and `@baton/axios`.
 * Nothing here touches keys, secrets or databases.
 */
// Only the errors browser code needs: the base (any code a server answers with) and the classes
// the client, @baton/react and @baton/axios throw. Each is tree-shaken when unused.
export { BatonError, type BatonErrorCode, type BatonErrorOptions, isBatonError } from '../errors/base.js'
export { UnauthenticatedError } from '../errors/credential-errors.js'
export { ConfigError, NetworkError } from '../errors/service-errors.js'
export type { SessionInfo } from '../issued-session.js'
export {
  type AuthClient,
  type AuthClientEvent,
  type AuthClientOptions,
  type AuthError,
  type AuthState,
  type AuthTransport,
  type ClientSession,
  createAuthClient,
  type RefreshCause,
  type TabLock,
} from './auth-client.js'
export type { AuthRequest } from './auth-request.js'
export { type Observable, type Subject, subject } from './observable.js'
export { type RefreshScheduler, type RefreshSchedulerOptions, refreshScheduler } from './refresh-scheduler.js'
export { type SingleFlight, singleFlight } from './single-flight.js'
