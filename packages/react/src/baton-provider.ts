'use client'

import { type AuthClient, type AuthClientOptions, type ClientSession, createAuthClient } from '@baton/core/client'
import { createContext, createElement, type ReactNode, useEffect, useState } from 'react'

/**
 * Props of {@link BatonProvider}: the client's options, or a client you made yourself
 * (its options are those it was made with) and the server's session.
 */
export type BatonProviderProps = { children?: ReactNode } & (
  | (AuthClientOptions & { client?: undefined })
  | ({
      /** Use this client instead of creating one (made once per page, e.g. in `useState`). */
      client: AuthClient
      /** The session the server rendered with; followed as it changes, like the provider's own client. */
      initialSession?: ClientSession | null
    } & { [K in Exclude<keyof AuthClientOptions, 'initialSession'>]?: never })
)

/** The session client of the nearest provider. */
export const BatonContext = createContext<AuthClient | null>(null)

/**
 * Provides the session to its subtree. Pass `initialSession` from a server
 * component (e.g. what `baton.session()` returned) and the first render is
 * already signed in — no loading flash, no request on first paint; `null`
 * renders signed out and sends no request. When the server renders it anew
 * (a server action signed in or out, `router.refresh()`), the client follows:
 * see `AuthClient.adopt`. Timers and listeners start after mount, so server
 * rendering has no side effects.
 */
export function BatonProvider({ children, client: given, ...options }: BatonProviderProps): ReactNode {
  const [client] = useState(() => given ?? createAuthClient(options))
  const session = options.initialSession
  // Adopted when its content changes (a re-rendered layout sends a new object with the same content),
  // and before start(), so a client given without a session starts from this one, not from a request.
  const seen = JSON.stringify(session)
  // biome-ignore lint/correctness/useExhaustiveDependencies: `seen` is `session` by content.
  useEffect(() => {
    if (session !== undefined) client.adopt(session)
  }, [client, seen])
  useEffect(() => client.start(), [client])
  return createElement(BatonContext.Provider, { value: client }, children)
}
