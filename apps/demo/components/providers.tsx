'use client'

import { withBaton } from '@baton/axios'
import { type Observable, subject } from '@baton/core/client'
import { BatonDevtools } from '@baton/devtools'
import {
  type AuthClient,
  type AuthClientEvent,
  BatonProvider,
  type ClientSession,
  createAuthClient,
} from '@baton/react'
import axios, { type AxiosInstance } from 'axios'
import { createContext, type ReactNode, useContext, useState, useSyncExternalStore } from 'react'

interface Demo {
  client: AuthClient
  /** Calls the app's own API with the in-memory access token (`@baton/axios`). */
  api: AxiosInstance
  /** The client's session events, newest first (for the dashboard's log). */
  events: Observable<readonly AuthClientEvent[]>
}

const DemoContext = createContext<Demo | null>(null)

function createDemo(initialSession: ClientSession | null): Demo {
  const events = subject<readonly AuthClientEvent[]>([])
  const client = createAuthClient({
    initialSession,
    onEvent: (event) => events.set([event, ...events.get()].slice(0, 50)),
  })
  const api = axios.create({ baseURL: '/api', timeout: 15_000 })
  // One refresh for any number of parallel 401s, shared with the session client's own refreshes.
  withBaton(api, { getAccessToken: client.getAccessToken, refresh: client.refresh })
  return { client, api, events }
}

/**
 * The session client, the API client and the event log, created once per page load, and
 * Baton's dev tools (under `next dev`). The
 * session the layout renders with is passed on as well, so the client follows a sign-in or
 * sign-out by server action (the layout renders again with the new session).
 */
export function Providers({ initialSession, children }: { initialSession: ClientSession | null; children: ReactNode }) {
  const [demo] = useState(() => createDemo(initialSession))
  return (
    <BatonProvider client={demo.client} initialSession={initialSession}>
      <DemoContext.Provider value={demo}>{children}</DemoContext.Provider>
      {/* `next dev` only: the production build renders nothing and ships none of its code. */}
      <BatonDevtools />
    </BatonProvider>
  )
}

function useDemo(): Demo {
  const demo = useContext(DemoContext)
  if (!demo) throw new Error('Demo components must be rendered inside <Providers>.')
  return demo
}

export const useApi = (): AxiosInstance => useDemo().api

export function useEvents(): readonly AuthClientEvent[] {
  const { events } = useDemo()
  return useSyncExternalStore(events.subscribe, events.get, events.get)
}
