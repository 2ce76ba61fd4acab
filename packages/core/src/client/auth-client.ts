import { BatonError, type BatonErrorCode, isBatonError } from '../errors.js'
import type { SessionInfo } from '../issued-session.js'
import { openTabChannel, type TabChannel, type TabMessage, withTabLock } from './cross-tab.js'
import { subject } from './observable.js'
import { refreshScheduler } from './refresh-scheduler.js'
import { singleFlight } from './single-flight.js'

/** A session as the server hands it to the browser (login, refresh, `/session`, or a server component). */
export interface ClientSession {
  user: Record<string, unknown> | null
  session?: SessionInfo | null
  /** Optional: a session passed from a server component usually omits it; it is fetched on first use. */
  accessToken?: string
  accessTokenExpiresAt: number
}

/** What the UI renders. */
export interface AuthState {
  status: 'loading' | 'authenticated' | 'unauthenticated'
  user: Record<string, unknown> | null
  session: SessionInfo | null
  /** When the access token expires (ms), while authenticated. */
  expiresAt: number | null
  /** The last error (a failed sign-in, an unreachable server), if any. */
  error: { code: BatonErrorCode; message: string } | null
}

/** Something the client did, for logs and dev tools. Never carries a token. */
export interface AuthClientEvent {
  type: 'signed-in' | 'refreshed' | 'refresh-failed' | 'signed-out' | 'session-from-tab'
  at: number
  expiresAt?: number
  code?: BatonErrorCode
}

/** Options of {@link createAuthClient}. Durations in ms. */
export interface AuthClientOptions {
  /** Where `@baton/next`'s routes are mounted. Default `/api/auth`. */
  basePath?: string
  /** `undefined`: ask the server on start; `null`: signed out; a session: signed in, no request needed. */
  initialSession?: ClientSession | null
  /** Refresh this long before expiry (capped at half the lifetime). Default 30 000. */
  refreshLeeway?: number
  /** Coordinate tabs with Web Locks and BroadcastChannel. Default true. */
  crossTab?: boolean
  /** Longest wait for another tab's refresh lock before refreshing anyway. Default 10 000. */
  lockTimeout?: number
  /** Sign out after this much inactivity in every tab; 0 disables. Default 0. */
  idleTimeout?: number
  onEvent?: (event: AuthClientEvent) => void
  fetch?: typeof fetch
  now?: () => number
}

/** The browser session client behind `@baton/react`; usable on its own. */
export interface AuthClient {
  getState(): AuthState
  subscribe(listener: () => void): () => void
  /** Attaches timers and focus/online/visibility listeners; returns `stop`. Call once, in the browser. */
  start(): () => void
  signIn(credentials: Record<string, string>): Promise<AuthState>
  signOut(options?: { everywhere?: boolean }): Promise<void>
  /** Refreshes now (one refresh per page, and per browser across tabs); resolves to the new token or null. */
  refresh(): Promise<string | null>
  /** A valid access token, refreshing first when it is about to expire; null when signed out. */
  getAccessToken(): Promise<string | null>
}

const signedOut = (error: AuthState['error'] = null): AuthState => ({
  status: 'unauthenticated',
  user: null,
  session: null,
  expiresAt: null,
  error,
})

/**
 * Creates the session client: the access token lives in memory only (the
 * refresh token stays in its HttpOnly cookie), refreshes happen shortly
 * before expiry and on focus, visibility and reconnection when due, once per
 * page (single flight) and once per browser (Web Lock with a timeout, result
 * shared over BroadcastChannel). A sign-out in one tab signs out every tab; a
 * network failure never signs anyone out.
 */
export function createAuthClient(options: AuthClientOptions = {}): AuthClient {
  const base = options.basePath ?? '/api/auth'
  const now = options.now ?? Date.now
  const leeway = options.refreshLeeway ?? 30_000
  const initial = options.initialSession
  const state = subject<AuthState>(
    initial === undefined ? { ...signedOut(), status: 'loading' } : initial === null ? signedOut() : toState(initial),
  )
  let token = initial?.accessToken
  let started = false
  let channel: TabChannel = { post() {}, close() {} }
  let lastActivity = now()
  let retry: ReturnType<typeof setTimeout> | undefined
  const emit = (type: AuthClientEvent['type'], extra: Partial<AuthClientEvent> = {}) =>
    options.onEvent?.({ type, at: now(), ...extra })
  const scheduler = refreshScheduler({ refresh: () => refresh().catch(() => undefined), leewayMs: leeway, now })

  function toState(data: ClientSession): AuthState {
    return {
      status: 'authenticated',
      user: data.user ?? null,
      session: data.session ?? null,
      expiresAt: data.accessTokenExpiresAt,
      error: null,
    }
  }

  /** Tries `task` again in ~5 s (one pending retry at most), while started. */
  function retryLater(task: () => Promise<unknown>): void {
    clearTimeout(retry)
    if (started) retry = setTimeout(() => task().catch(() => undefined), 5_000)
  }

  function apply(data: ClientSession): void {
    token = data.accessToken
    // A new sign-in (here or in another tab) starts a fresh idle period.
    if (state.get().status !== 'authenticated') lastActivity = now()
    state.set({ ...toState(data), session: data.session ?? state.get().session })
    if (started) scheduler.schedule(data.accessTokenExpiresAt)
  }

  function clear(error: AuthState['error'] = null): void {
    token = undefined
    scheduler.cancel()
    clearTimeout(retry)
    state.set(signedOut(error))
  }

  async function call(path: string, init: RequestInit = {}): Promise<ClientSession> {
    let response: Response
    try {
      response = await (options.fetch ?? fetch)(base + path, {
        credentials: 'same-origin',
        ...init,
        headers: { accept: 'application/json', ...(init.body ? { 'content-type': 'application/json' } : {}) },
      })
    } catch (cause) {
      throw new BatonError('ERR_NETWORK', 'The server could not be reached.', { cause })
    }
    const body = await response.json().catch(() => null)
    if (response.ok) return body
    const code = body?.error?.code ?? (response.status === 401 ? 'ERR_UNAUTHENTICATED' : 'ERR_NETWORK')
    throw new BatonError(code, body?.error?.message ?? `HTTP ${response.status}`, { status: response.status })
  }

  const plain = (error: unknown) =>
    isBatonError(error)
      ? { code: error.code, message: error.message }
      : { code: 'ERR_NETWORK' as const, message: String(error) }

  const refresh = singleFlight(() => {
    const seen = state.get().expiresAt
    // Another tab refreshed or signed in since this refresh began: its result stands.
    const superseded = () => !!token && state.get().expiresAt !== seen && (state.get().expiresAt ?? 0) > now()
    return withTabLock(
      `baton:refresh:${base}`,
      options.lockTimeout ?? 10_000,
      async () => {
        if (superseded() && !scheduler.isDue()) return token ?? null
        try {
          const data = await call('/refresh', { method: 'POST' })
          apply(data)
          channel.post({ type: 'session', session: data })
          emit('refreshed', { expiresAt: data.accessTokenExpiresAt })
          return token ?? null
        } catch (error) {
          // A failure of a request sent before another tab's newer session arrived says nothing about that session.
          if (superseded()) return token ?? null
          const failure = plain(error)
          if (isBatonError(error) && error.status === 401) {
            // Only a session that existed ends; a visitor without one is not an error, nor news to other tabs.
            const ended = state.get().status === 'authenticated'
            clear(ended ? failure : null)
            if (ended) {
              channel.post({ type: 'signed-out' })
              emit('signed-out', { code: failure.code })
            }
            return null
          }
          // Unreachable or overloaded: keep the session, say so, try again shortly.
          state.set({ ...state.get(), error: failure })
          emit('refresh-failed', { code: failure.code })
          retryLater(refresh)
          throw error
        }
      },
      (stop) => state.subscribe(() => superseded() && stop()),
    )
  })

  const loadSession = singleFlight(async (): Promise<string | null> => {
    try {
      apply(await call('/session'))
      return token ?? null
    } catch (error) {
      if (isBatonError(error) && error.status === 401) return refresh()
      if (state.get().status === 'loading') {
        state.set({ ...signedOut(plain(error)), status: 'loading' })
        retryLater(loadSession)
      }
      throw error
    }
  })

  function onTabMessage(message: TabMessage): void {
    if (message.type === 'session') {
      apply(message.session as ClientSession)
      emit('session-from-tab', { expiresAt: (message.session as ClientSession).accessTokenExpiresAt })
    } else if (message.type === 'signed-out') {
      if (state.get().status !== 'unauthenticated') emit('signed-out')
      clear()
    } else if (message.type === 'activity') lastActivity = Math.max(lastActivity, message.at)
  }

  const client: AuthClient = {
    getState: state.get,
    subscribe: state.subscribe,

    start() {
      if (started || typeof window === 'undefined') return () => undefined
      started = true
      if (options.crossTab !== false) channel = openTabChannel(`baton:${base}`, onTabMessage)
      const s = state.get()
      if (s.status === 'loading') loadSession().catch(() => undefined)
      else if (s.expiresAt) scheduler.schedule(s.expiresAt)
      const check = () => {
        const { status, expiresAt } = state.get()
        if (
          document.visibilityState === 'visible' &&
          status === 'authenticated' &&
          (scheduler.isDue() || (expiresAt ?? 0) <= now())
        ) {
          refresh().catch(() => undefined)
        }
      }
      const idle = options.idleTimeout ?? 0
      let lastShared = 0
      const active = () => {
        lastActivity = now()
        if (lastActivity - lastShared > Math.min(10_000, idle / 2)) {
          lastShared = lastActivity
          channel.post({ type: 'activity', at: lastActivity })
        }
      }
      const idleTimer =
        idle > 0
          ? setInterval(
              () => {
                if (state.get().status === 'authenticated' && now() - lastActivity >= idle)
                  client.signOut().catch(() => undefined)
              },
              Math.min(idle / 4, 15_000),
            )
          : undefined
      const events: [EventTarget, string, () => void][] = [
        [window, 'focus', check],
        [window, 'online', check],
        [document, 'visibilitychange', check],
        ...(idle > 0
          ? ['pointerdown', 'keydown', 'scroll', 'touchstart'].map(
              (e) => [window, e, active] as [EventTarget, string, () => void],
            )
          : []),
      ]
      for (const [target, name, fn] of events) target.addEventListener(name, fn, { passive: true })
      return () => {
        started = false
        scheduler.cancel()
        clearTimeout(retry)
        clearInterval(idleTimer)
        channel.close()
        for (const [target, name, fn] of events) target.removeEventListener(name, fn)
      }
    },

    async signIn(credentials) {
      try {
        const data = await call('/login', { method: 'POST', body: JSON.stringify(credentials) })
        apply(data)
        lastActivity = now()
        channel.post({ type: 'session', session: data })
        emit('signed-in', { expiresAt: data.accessTokenExpiresAt })
        return state.get()
      } catch (error) {
        // A failed attempt (say, re-authentication while signed in) leaves the current session alone.
        state.set({ ...state.get(), error: plain(error) })
        throw error
      }
    },

    async signOut({ everywhere = false } = {}) {
      await call('/logout', { method: 'POST', body: JSON.stringify({ everywhere }) }).catch(() => undefined)
      const wasIn = state.get().status !== 'unauthenticated'
      clear()
      channel.post({ type: 'signed-out' })
      if (wasIn) emit('signed-out')
    },

    refresh,

    async getAccessToken() {
      const { status, expiresAt } = state.get()
      if (status === 'unauthenticated') return null
      const fresh = expiresAt !== null && expiresAt - now() > 5_000
      if (token && fresh) return token
      return fresh || status === 'loading' ? loadSession() : refresh()
    },
  }
  return client
}
