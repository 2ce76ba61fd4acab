'use client'

import type { AuthState } from '@baton/core/client'
import { useMemo } from 'react'
import { useBaton } from './use-session.js'

/** Options of {@link useAuthNavigation}. */
export interface AuthNavigationOptions {
  /**
   * Goes to `href` (a path on this origin) so that nothing rendered or cached under the previous
   * session survives. Default: `location.replace(href)`, a full page load, which drops every
   * in-memory cache (Next's router cache and its back/forward cache included) and replaces the
   * history entry. Next's client-side `router.replace` is not enough: see the README. Pass a
   * stable function (module-level or `useCallback`), or the returned functions change each render.
   */
  navigate?: (href: string) => void
}

/** What {@link useAuthNavigation} returns. */
export interface AuthNavigation {
  /** Signs in, then leaves for `redirectTo`. Rejects like `signIn()` (and stays) when refused. */
  signIn(credentials: Record<string, string>, options: { redirectTo: string }): Promise<AuthState>
  /** Signs out (every tab, or `everywhere`), then leaves for `redirectTo`. */
  signOut(options: { redirectTo: string; everywhere?: boolean }): Promise<void>
  /** Leaves for `href`: for a session that ended while the page was open (another tab, a revocation). */
  leave(href: string): void
}

/** Whether this page is already being left by a full page load (a later `location.replace` would override it). */
let leaving = false

/**
 * Sign-in and sign-out that cross the session boundary: after either, the app leaves for a
 * page rendered under the new state, never one cached under the old — e.g. a protected page
 * Next's router prefetched while signed out (a redirect to the sign-in page), or the
 * signed-in page that Back would restore from memory after sign-out.
 */
export function useAuthNavigation({ navigate }: AuthNavigationOptions = {}): AuthNavigation {
  const client = useBaton()
  return useMemo(() => {
    // `own`: the destination of this hook's signIn/signOut, which wins over a plain leave() — e.g. that
    // of a guard reacting to the same sign-out, whichever runs first.
    const leave = (href: string, own?: boolean) => {
      // Only to this origin: an open redirect or a `javascript:` URL from `?next=` becomes `/`.
      const url = new URL(href, location.href)
      href = url.origin === location.origin ? url.href.slice(url.origin.length) : '/'
      // A page left this way and later restored from the browser's back/forward cache would show
      // the previous session's state: load it afresh instead.
      addEventListener('pageshow', (event) => event.persisted && location.reload())
      if (navigate) navigate(href)
      else if (own || !leaving) {
        leaving = true
        location.replace(href)
      }
    }
    return {
      leave,
      async signIn(credentials, { redirectTo }) {
        const state = await client.signIn(credentials)
        leave(redirectTo, true)
        return state
      },
      async signOut({ redirectTo, everywhere }) {
        await client.signOut({ everywhere })
        leave(redirectTo, true)
      },
    }
  }, [client, navigate])
}
