'use client'
// @baton/react's README, "With axios: useBaton()", as written there.
import { withBaton } from '@baton/axios'
import { useBaton } from '@baton/react'
import axios, { type AxiosInstance } from 'axios'
import { createContext, type ReactNode, useContext, useState } from 'react'

const Api = createContext<AxiosInstance | null>(null)

/** Inside <BatonProvider>: an axios instance that sends the in-memory token and shares the client's refresh. */
export function ApiProvider({ children }: { children: ReactNode }) {
  const baton = useBaton()
  const [api] = useState(() => {
    const instance = axios.create({ baseURL: '/api' })
    withBaton(instance, {
      getAccessToken: () => baton.getAccessToken(), // null when signed out: no header
      refresh: () => baton.refresh(), // one refresh per page and per browser, joined by parallel 401s
    })
    return instance
  })
  return <Api.Provider value={api}>{children}</Api.Provider>
}

export const useApi = (): AxiosInstance => useContext(Api)!
