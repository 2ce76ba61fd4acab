// @baton/react's README, "React SPA": one session client and one axios instance for the page.
// VITE_BATON_API_ORIGIN unset: the API is this origin, reached through Vite's proxy (vite.config.ts).
// Set (cross-origin): basePath on the other origin, so the client sends credentials: 'include'.
import { withBaton } from '@baton/axios'
import { createAuthClient } from '@baton/react'
import axios from 'axios'

const apiOrigin = import.meta.env.VITE_BATON_API_ORIGIN ?? ''

export const auth = createAuthClient({ basePath: `${apiOrigin}/api/auth` })
export const api = axios.create({ baseURL: `${apiOrigin}/api` })
withBaton(api, { getAccessToken: auth.getAccessToken, refresh: auth.refresh })
