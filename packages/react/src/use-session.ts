'use client'

import { type AuthClient, type AuthState, ConfigError } from '@baton/core/client'
import { useContext, useMemo, useSyncExternalStore } from 'react'
import { BatonContext } from './baton-provider.js'

/** The session client of the nearest `<BatonProvider>`; throws outside one. */
export function useBaton(): AuthClient {
  const client = useContext(BatonContext)
  if (!client) throw new ConfigError('Wrap the app in <BatonProvider>.')
  return client
}

/** The session state and its actions. */
export type UseSessionResult = AuthState & Pick<AuthClient, 'signIn' | 'signOut' | 'refresh' | 'getAccessToken'>

/**
 * The current session — `status` (`loading` | `authenticated` |
 * `unauthenticated` | `error`), `user`, `session`, `expiresAt`, `error` — and
 * the actions `signIn`, `signOut`, `refresh`, `getAccessToken`. Re-renders
 * only when the session changes.
 *
 * `status: 'error'` means the server refused for good (e.g. 403 `ERR_CSRF`
 * behind a dev proxy that rewrites `Origin`): `error` holds
 * `{ code, status, message }`, the console says what to fix, and nothing is
 * retried until `signIn()` or `refresh()` is called. Narrowing on `status`
 * narrows the rest: `expiresAt` is a number when `authenticated`, and `error`
 * is set when `error`.
 */
export function useSession(): UseSessionResult {
  const client = useBaton()
  const state = useSyncExternalStore(client.subscribe, client.getState, client.getState)
  return useMemo(
    () => ({
      ...state,
      signIn: client.signIn,
      signOut: client.signOut,
      refresh: client.refresh,
      getAccessToken: client.getAccessToken,
    }),
    [state, client],
  )
}
