'use client'

import { type AuthClient, type AuthClientOptions, createAuthClient } from '@baton/core/client'
import { createContext, createElement, type ReactNode, useEffect, useState } from 'react'

/** Props of {@link BatonProvider}: the client's options, or a client you made yourself. */
export interface BatonProviderProps extends AuthClientOptions {
  children?: ReactNode
  /** Use this client instead of creating one (e.g. to share it with `@baton/axios`). */
  client?: AuthClient
}

/** The session client of the nearest provider. */
export const BatonContext = createContext<AuthClient | null>(null)

/**
 * Provides the session to its subtree. Pass `initialSession` from a server
 * component (e.g. what `baton.session()` returned) and the first render is
 * already signed in — no loading flash, no request on first paint. Timers and
 * listeners start after mount, so server rendering has no side effects.
 */
export function BatonProvider({ children, client: given, ...options }: BatonProviderProps): ReactNode {
  const [client] = useState(() => given ?? createAuthClient(options))
  useEffect(() => client.start(), [client])
  return createElement(BatonContext.Provider, { value: client }, children)
}
