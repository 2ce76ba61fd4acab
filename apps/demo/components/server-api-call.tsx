import { withBaton } from '@baton/axios'
import type { BatonSession } from '@baton/next'
import { createUpstreamClient } from '@baton/next/axios'
import axios, { type AxiosInstance, isAxiosError } from 'axios'
import { baton, env } from '@/lib/baton'

/** Where this server reaches its own API: a fixed local origin, never the request's Host header. */
const SELF = `http://127.0.0.1:${process.env.PORT ?? 3000}`

/**
 * The API a server component calls, with a server-side axios client built on
 * `@baton/axios`. Local mode: this app's `/api/me` with the session's verified
 * access token (a server component cannot set cookies, so it never refreshes:
 * the proxy did, before this render). Upstream mode: the upstream's `/me`
 * with the session's upstream token, refreshed server-side when due. OIDC mode:
 * this app's `/api/me` again, which answers with the provider's userinfo.
 */
function serverClient(session: BatonSession): { api: AxiosInstance; path: string; label: string } {
  // OIDC mode also enables `baton.upstream` (the provider's token), but its API is this app's /api/me.
  if (baton.upstream.enabled && !env.oidc)
    return { api: createUpstreamClient(baton, session), path: '/me', label: 'upstream /me' }
  const api = axios.create({ baseURL: SELF, timeout: 5_000 })
  withBaton(api, { getAccessToken: () => session.accessToken, refresh: async () => null })
  return { api, path: '/api/me', label: '/api/me' }
}

export async function ServerApiCall({ session }: { session: BatonSession }) {
  const { api, path, label } = serverClient(session)
  try {
    const started = performance.now()
    const { data } = await api.get<{ user?: { email?: string }; email?: string }>(path)
    const ms = Math.round(performance.now() - started)
    return (
      <p data-testid="server-api-result">
        ✓ <code>GET {label}</code> answered for {data.user?.email ?? data.email} in {ms} ms
      </p>
    )
  } catch (error) {
    const status = isAxiosError(error)
      ? (error.response?.status ?? error.code)
      : ((error as { code?: string }).code ?? 'error')
    return (
      <p className="error" data-testid="server-api-result">
        The server-side call failed ({String(status)}). Reload to try again.
      </p>
    )
  }
}
