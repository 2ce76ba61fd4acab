'use client'

import { type AuthClient, type AuthState, BatonError } from '@baton/core/client'
import { useContext, useMemo, useSyncExternalStore } from 'react'
import { BatonContext } from './baton-provider.js'

/** The session client of the nearest `<BatonProvider>`; throws outside one. */
export function useBaton(): AuthClient {
  const client = useContext(BatonContext)
  if (!client) throw new BatonError('ERR_CONFIG', 'useBaton/useSession must be used inside <BatonProvider>.')
  return client
}

/** The session state and its actions. */
export type UseSessionResult = AuthState & Pick<AuthClient, 'signIn' | 'signOut' | 'refresh' | 'getAccessToken'>

/**
 * The current session — `status` (`loading` | `authenticated` |
 * `unauthenticated`), `user`, `session`, `expiresAt`, `error` — and the
 * actions `signIn`, `signOut`, `refresh`, `getAccessToken`. Re-renders only
 * when the session changes.
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
