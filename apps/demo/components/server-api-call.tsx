import { withBaton } from '@baton/axios'
import type { BatonSession } from '@baton/next'
import axios, { isAxiosError } from 'axios'

/** Where this server reaches its own API: a fixed local origin, never the request's Host header. */
const SELF = `http://127.0.0.1:${process.env.PORT ?? 3000}`

/**
 * A server component calling an API with a server-side axios client built on
 * `@baton/axios`: the Bearer is the session's verified access token. A server
 * component cannot set cookies, so it never refreshes; the proxy refreshed
 * before this render if the token was due.
 */
export async function ServerApiCall({ session }: { session: BatonSession }) {
  const api = axios.create({ baseURL: SELF, timeout: 5_000 })
  withBaton(api, { getAccessToken: () => session.accessToken, refresh: async () => null })
  try {
    const started = performance.now()
    const { data } = await api.get<{ user: { email?: string }; at: number }>('/api/me')
    const ms = Math.round(performance.now() - started)
    return (
      <p data-testid="server-api-result">
        ✓ <code>GET /api/me</code> answered for {data.user?.email} in {ms} ms (rendered{' '}
        {new Date(data.at).toLocaleTimeString()})
      </p>
    )
  } catch (error) {
    const status = isAxiosError(error) ? (error.response?.status ?? error.code) : 'error'
    return (
      <p className="error" data-testid="server-api-result">
        The server-side call failed ({String(status)}). Reload to try again.
      </p>
    )
  }
}
