import type { AuthClient } from '@baton/react'

// The part of `@baton/core/client`'s contract the panel reads. `onEvent` and
// `peekAccessToken` are being added to `AuthClient`; until they land they are
// typed here from the contract and read only when present.

/** Why a refresh ran (see `@baton/core/client`). */
export type RefreshCause =
  | 'timer'
  | 'focus'
  | 'online'
  | 'visible'
  | 'token'
  | 'session'
  | 'adopt'
  | 'retry'
  | 'call'
  | 'axios'

/** How a refresh related to the cross-tab Web Lock. */
export type LockOutcome = 'held' | 'waited' | 'timeout' | 'none'

/** What the client reports; never a token. */
export interface ClientEvent {
  type: 'signed-in' | 'refreshed' | 'refresh-failed' | 'signed-out' | 'session-from-tab'
  at: number
  expiresAt?: number
  /** A `BatonErrorCode`. */
  code?: string
  cause?: RefreshCause
  duration?: number
  lock?: LockOutcome
  from?: 'tab'
}

/** The session client as the panel sees it: read-only members only. */
export type ObservedClient = Pick<AuthClient, 'getState' | 'subscribe'> & {
  onEvent?(listener: (event: ClientEvent) => void): () => void
  peekAccessToken?(): string | null
}
