import { createAuthClient as createClient } from '../client/auth-client.js'
import type { AuthClient, AuthClientOptions } from '../client/auth-types.js'
import { memoryTokenStorage, type TokenStorage } from './token-storage.js'
import { TRANSPORT_HEADER, tokenTransport } from './token-transport.js'

/**
 * Options of the native {@link createAuthClient}: the browser client's, less what needs a page
 * (tabs, idle tracking, a server-rendered session), plus where the refresh token is kept.
 */
export interface NativeAuthClientOptions
  extends Omit<
    AuthClientOptions,
    'basePath' | 'crossTab' | 'lockTimeout' | 'idleTimeout' | 'initialSession' | 'transport'
  > {
  /** The absolute URL of `@baton/next`'s routes, e.g. `https://app.example.com/api/auth`. */
  basePath: string
  /** Keeps the refresh token across restarts (e.g. Expo SecureStore). Default: process memory. */
  tokenStorage?: TokenStorage
  /** The key of the refresh token in `tokenStorage`. Default `baton.refreshToken`. */
  storageKey?: string
}

/** The native session client: the browser client's API, plus `fetch` for the app's own API. */
export interface NativeAuthClient extends AuthClient {
  /**
   * `fetch` with `Authorization: Bearer <access token>` (no cookies; on a URL under `basePath`, such
   * as `${basePath}/sessions`, also `X-Baton-Transport: token`). A 401 awaits one refresh
   * shared by every caller and retries once with the new token; a second 401 is returned as is.
   * Without a session, the request goes out without the header.
   */
  fetch(input: string | URL, init?: RequestInit): Promise<Response>
}

/**
 * Creates the session client for apps without cookies — React Native, Electron, CLIs — on the
 * token transport (the server must enable it for the app). Same behaviour as the browser client:
 * one refresh at a time however many calls need one, no sign-out on an outage (no answer, 5xx,
 * 408, 429), only on a refusal of the refresh token; the rotated token is in `tokenStorage` before
 * the new access token is used, and a new client on the same storage resumes the session. No tabs:
 * BroadcastChannel and Web Locks are never touched. In an app, call `start()` for proactive
 * refreshes; a CLI may skip it (its timers would keep the process alive) and just call
 * `getAccessToken()` or `fetch()`, which refresh on demand.
 */
export function createAuthClient(options: NativeAuthClientOptions): NativeAuthClient {
  const { tokenStorage = memoryTokenStorage(), storageKey = 'baton.refreshToken', ...rest } = options
  const transport = tokenTransport({ tokenStorage, storageKey })
  // No tabs to coordinate: no BroadcastChannel (in Node it would also keep the process alive).
  const client = createClient({ ...rest, crossTab: false, transport })
  // Baton's own routes (`/sessions`, `DELETE /sessions/:id`) also say which transport they are on.
  const own = (input: string | URL) => String(input).startsWith(`${options.basePath}/`)
  const send = (input: string | URL, init: RequestInit, token: string | null) =>
    (options.fetch ?? fetch)(input, {
      ...init,
      credentials: 'omit',
      headers: headersFor(init.headers, token, own(input)),
    })
  return {
    ...client,
    async fetch(input, init = {}) {
      const token = await client.getAccessToken()
      const response = await send(input, init, token)
      if (response.status !== 401 || !token) return response
      // Another caller may have refreshed meanwhile: use its token rather than refresh again.
      const current = transport.accessToken()
      const next = current && current !== token ? current : await client.refresh().catch(() => null)
      return next ? send(input, init, next) : response
    },
  }
}

/** The caller's headers, plus the access token (when there is one) and, for Baton's routes, the transport. */
function headersFor(headers: HeadersInit | undefined, token: string | null, own: boolean): Headers {
  const merged = new Headers(headers)
  if (token) merged.set('authorization', `Bearer ${token}`)
  if (own) merged.set(TRANSPORT_HEADER, 'token')
  return merged
}
