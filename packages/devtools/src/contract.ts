import type { AuthClient, AuthClientEvent, RefreshCause, TabLock } from '@baton/react'

// The part of `@baton/core/client`'s contract the panel reads, named once here.

export type { RefreshCause }

/** How a refresh related to the cross-tab Web Lock (`TabLock`). */
export type LockOutcome = TabLock

/** What the client reports (`AuthClientEvent`); never a token. */
export type ClientEvent = AuthClientEvent

/**
 * The session client as the panel sees it: read-only members only. `onEvent`
 * and `peekAccessToken` are optional so that a client older than them still
 * shows its state (with an empty timeline and no claims).
 */
export type ObservedClient = Pick<AuthClient, 'getState' | 'subscribe'> &
  Partial<Pick<AuthClient, 'onEvent' | 'peekAccessToken'>>
