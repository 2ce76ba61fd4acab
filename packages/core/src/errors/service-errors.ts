/**
 * Failures on the serving side (5xx). Apart from `ConfigError`, each means
 * "try again": the session is untouched and clients keep it.
 */

import { BatonError, type BatonErrorOptions } from './base.js'

/** The configuration is invalid; thrown at startup, never for client input (500). */
export class ConfigError extends BatonError {
  static readonly code = 'ERR_CONFIG' as const
  declare readonly code: 'ERR_CONFIG'
  constructor(message = 'Baton is misconfigured.', options?: BatonErrorOptions) {
    super(ConfigError.code, message, { status: 500, ...options })
    this.name = 'ConfigError'
  }
}

/** The session store failed (connection, lock timeout); the session is untouched (503). */
export class StoreUnavailableError extends BatonError {
  static readonly code = 'ERR_STORE_UNAVAILABLE' as const
  declare readonly code: 'ERR_STORE_UNAVAILABLE'
  constructor(message = 'The session store is unavailable.', options?: BatonErrorOptions) {
    super(StoreUnavailableError.code, message, { status: 503, ...options })
    this.name = 'StoreUnavailableError'
  }
}

/** Upstream mode: the upstream could not be reached or answered with an outage — a
 * timeout or connection error (503) or a 5xx / malformed answer (502). The Baton
 * session is untouched: a flaky upstream never signs anyone out. Retry later. */
export class UpstreamUnavailableError extends BatonError {
  static readonly code = 'ERR_UPSTREAM_UNAVAILABLE' as const
  declare readonly code: 'ERR_UPSTREAM_UNAVAILABLE'
  constructor(message = 'The upstream service is unavailable. Try again.', options?: BatonErrorOptions) {
    super(UpstreamUnavailableError.code, message, { status: 503, ...options })
    this.name = 'UpstreamUnavailableError'
  }
}

/** The Edge proxy could not refresh through the app's own refresh route: no answer,
 * an answer that is not Baton's, or no cookies set. The session is untouched (503). */
export class RefreshRouteUnavailableError extends BatonError {
  static readonly code = 'ERR_REFRESH_ROUTE_UNAVAILABLE' as const
  declare readonly code: 'ERR_REFRESH_ROUTE_UNAVAILABLE'
  constructor(message = 'The refresh route is unavailable.', options?: BatonErrorOptions) {
    super(RefreshRouteUnavailableError.code, message, { status: 503, ...options })
    this.name = 'RefreshRouteUnavailableError'
  }
}

/** The browser client got no answer from the server (503). */
export class NetworkError extends BatonError {
  static readonly code = 'ERR_NETWORK' as const
  declare readonly code: 'ERR_NETWORK'
  constructor(message = 'The server could not be reached.', options?: BatonErrorOptions) {
    super(NetworkError.code, message, { status: 503, ...options })
    this.name = 'NetworkError'
  }
}

/** An unexpected error (not a BatonError) while handling a request: logged on the
 * server, answered without internals as a 5xx so that clients keep the session (503). */
export class InternalError extends BatonError {
  static readonly code = 'ERR_INTERNAL' as const
  declare readonly code: 'ERR_INTERNAL'
  constructor(message = 'The service is temporarily unavailable. Try again.', options?: BatonErrorOptions) {
    super(InternalError.code, message, { status: 503, ...options })
    this.name = 'InternalError'
  }
}
