import { seconds } from '../durations.js'
import type { SessionInfo } from '../issued-session.js'
import { authRequest, type RequestError, toAuthError } from './auth-request.js'
import type {
  AuthClient,
  AuthClientEvent,
  AuthClientOptions,
  AuthError,
  AuthState,
  ClientSession,
} from './auth-types.js'
import { NO_TAB_CHANNEL, openTabChannel, type TabMessage, withTabLock } from './cross-tab.js'
import { subject } from './observable.js'
import { refreshScheduler } from './refresh-scheduler.js'
import { reportRefusal } from './refusal-report.js'
import { backoff, isTransient } from './retry-policy.js'
import { singleFlight } from './single-flight.js'

export type {
  AuthClient,
  AuthClientEvent,
  AuthClientOptions,
  AuthError,
  AuthState,
  AuthTransport,
  ClientSession,
} from './auth-types.js'

/** A state without a session: signed out (default), loading, or refused (`error` then required). */
const signedOut = (
  error: AuthError | null = null,
  status: 'unauthenticated' | 'loading' | 'error' = 'unauthenticated',
) => ({ status, user: null, session: null, expiresAt: null, error }) as AuthState

/**
 * Creates the session client: the access token lives in memory only (the
 * refresh token stays in its HttpOnly cookie), refreshes happen shortly
 * before expiry and on focus, visibility and reconnection when due, once per
 * page (single flight) and once per browser (Web Lock with a timeout, result
 * shared over BroadcastChannel). A sign-out in one tab signs out every tab; a
 * network failure never signs anyone out: no answer, a 5xx, 408 or 429 is
 * retried with backoff. Any other refusal (400, 403, 404, 405, 415…) is a
 * setup problem: `status: 'error'` in every tab, one console line saying what
 * to fix, and no automatic retry.
 */
export function createAuthClient(options: AuthClientOptions = {}): AuthClient {
  const base = options.basePath ?? '/api/auth'
  const now = options.now ?? Date.now
  const lockTimeout = seconds('lockTimeout', options.lockTimeout, 10, { positive: true, max: 60 })
  const idle = seconds('idleTimeout', options.idleTimeout, 0, { max: 86_400 })
  const { transport } = options
  const initial = options.initialSession
  const state = subject<AuthState>(
    initial === undefined ? signedOut(null, 'loading') : initial === null ? signedOut() : toState(initial),
  )
  let token = initial?.accessToken
  let started = false
  let channel = NO_TAB_CHANNEL
  const retries = backoff()
  const emit = (type: AuthClientEvent['type'], extra?: Partial<AuthClientEvent>) =>
    options.onEvent?.({ type, at: now(), ...extra })
  let lastActivity = now()
  const scheduler = refreshScheduler({
    refresh: () => refresh().catch(() => undefined),
    leeway: options.refreshLeeway,
    now,
  })

  /** The state of a session; `session` when the answer has none (a refresh keeps the one known). */
  function toState(data: ClientSession, session: SessionInfo | null = null): AuthState {
    return {
      status: 'authenticated',
      user: data.user ?? null,
      session: data.session ?? session,
      expiresAt: data.accessTokenExpiresAt,
      error: null,
    }
  }

  /** Tries `task` again after a growing delay or the server's Retry-After (one pending retry at most), while started. */
  function retryLater(task: () => Promise<unknown>, error: unknown): void {
    if (started) retries.schedule(() => task().catch(() => undefined), (error as RequestError).retryAfter)
  }

  function apply(data: ClientSession): void {
    token = data.accessToken
    // A new sign-in (here or in another tab) starts a fresh idle period.
    if (state.get().status !== 'authenticated') lastActivity = now()
    state.set(toState(data, state.get().session))
    retries.reset()
    if (started) scheduler.schedule(data.accessTokenExpiresAt)
  }

  /** Drops the token, the planned refresh and any retry; the state becomes `next`. */
  function clear(next: AuthState = signedOut()): void {
    token = undefined
    scheduler.cancel()
    retries.reset()
    state.set(next)
  }

  /** Takes a session got here (a sign-in, a refresh, or one the server rendered) and shares it with every tab. */
  function share(data: ClientSession, type: 'signed-in' | 'refreshed'): void {
    apply(data)
    channel.post({ type: 'session', session: data })
    emit(type, { expiresAt: data.accessTokenExpiresAt })
  }

  /** Signs out, saying so (with why, if `error`) unless already out, and telling every tab unless told by one. */
  function end(error: AuthError | null = null, tell = true): void {
    const wasIn = state.get().status !== 'unauthenticated'
    clear(signedOut(error))
    if (tell) channel.post({ type: 'signed-out' })
    if (wasIn) emit('signed-out', { code: error?.code })
  }

  /** The server refused `request` for good: no session, no automatic retry, one console line, every tab told. */
  function refuse(error: AuthError, request: string, share: boolean): void {
    const last = state.get()
    if (last.status !== 'error' || last.error.code !== error.code) reportRefusal(request, error)
    clear(signedOut(error, 'error'))
    if (share) {
      channel.post({ type: 'refused', error, request })
      emit('refresh-failed', { code: error.code })
    }
  }

  const getFetch = () => options.fetch ?? fetch
  const call = (transport?.request ?? authRequest)(base, getFetch, now)

  const refresh = singleFlight(() => {
    const before = state.get()
    // Another tab refreshed or signed in since this refresh began: its result stands.
    const superseded = () =>
      !!token && state.get().expiresAt !== before.expiresAt && (state.get().expiresAt ?? 0) > now()
    return withTabLock(
      `baton:refresh:${base}`,
      lockTimeout,
      async () => {
        // Another tab was refused meanwhile: that stands too (one refused request per browser, not per tab).
        if (state.get() !== before && state.get().status === 'error') return null
        if (superseded() && !scheduler.isDue()) return token ?? null
        try {
          share(await call('/refresh', { method: 'POST' }), 'refreshed')
          return token ?? null
        } catch (error) {
          // A failure of a request sent before another tab's newer session arrived says nothing about that session.
          if (superseded()) return token ?? null
          const failure = toAuthError(error)
          if (failure.status === 401) {
            // Only a session that existed ends; a visitor without one is not an error, nor news to other tabs.
            if (state.get().status === 'authenticated') end(failure)
            else clear()
            return null
          }
          if (!isTransient(error)) refuse(failure, `POST ${base}/refresh`, true)
          else {
            // Unreachable or overloaded: keep the session, say so, try again later.
            state.set({ ...state.get(), error: failure })
            emit('refresh-failed', { code: failure.code })
            retryLater(refresh, error)
          }
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
      const failure = toAuthError(error)
      // No refresh cookie either (the server says so): signed out, without a refresh that would fail.
      if (failure.code === 'ERR_REFRESH_TOKEN_MISSING') {
        clear()
        return null
      }
      if (failure.status === 401) return refresh()
      if (!isTransient(error)) refuse(failure, `GET ${base}/session`, true)
      else if (state.get().status === 'loading') {
        state.set(signedOut(failure, 'loading'))
        retryLater(loadSession, error)
      }
      throw error
    }
  })

  function onTabMessage(message: TabMessage): void {
    if (message.type === 'session') {
      apply(message.session as ClientSession)
      emit('session-from-tab', { expiresAt: (message.session as ClientSession).accessTokenExpiresAt })
    } else if (message.type === 'signed-out') end(null, false)
    else if (message.type === 'activity') lastActivity = Math.max(lastActivity, message.at)
    // Same-origin tabs only, but maybe another version of this code (a tab from before a deploy):
    // a refusal without an error is ignored rather than thrown in the listener.
    else if (message.type === 'refused' && message.error)
      refuse(message.error as AuthError, `${message.request} (in another tab)`, false)
  }

  const client: AuthClient = {
    getState: state.get,
    subscribe: state.subscribe,

    start() {
      // Without a transport, a client outside a browser (server rendering) has nothing to start.
      if (started || (!transport && typeof window === 'undefined')) return () => undefined
      started = true
      if (options.crossTab !== false) channel = openTabChannel(`baton:${base}`, onTabMessage)
      const s = state.get()
      if (s.status === 'loading') loadSession().catch(() => undefined)
      else if (s.expiresAt) scheduler.schedule(s.expiresAt)
      const check = () => {
        // Due covers expired: the plan is never after the expiry.
        if (document.visibilityState === 'visible' && state.get().status === 'authenticated' && scheduler.isDue())
          refresh().catch(() => undefined)
      }
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
      // With a transport (React Native, Node: no page), no page events; timers only.
      const events: [EventTarget, string, () => void][] = transport
        ? []
        : [
            [window, 'focus', check],
            [window, 'online', check],
            [document, 'visibilitychange', check],
            ...(idle > 0
              ? ['pointerdown', 'keydown', 'scroll', 'touchstart'].map(
                  (e) => [window, e, active] as [EventTarget, string, () => void],
                )
              : []),
          ]
      // None calls preventDefault (touchstart on window is passive by default); `stop` removes them all.
      const listening = new AbortController()
      for (const [target, name, fn] of events) target.addEventListener(name, fn, { signal: listening.signal })
      return () => {
        started = false
        scheduler.cancel()
        retries.reset()
        clearInterval(idleTimer)
        channel.close()
        listening.abort()
      }
    },

    async signIn(credentials) {
      try {
        share(await call('/login', { method: 'POST', body: JSON.stringify(credentials) }), 'signed-in')
        lastActivity = now()
        return state.get()
      } catch (error) {
        // A failed attempt (say, re-authentication while signed in) leaves the current session alone.
        const failure = toAuthError(error)
        state.set({ ...state.get(), error: failure })
        // A set-up refusal (ERR_CSRF behind a proxy, a wrong basePath; not the credentials, a bad body
        // or an outage) says in the console what to fix.
        if (failure.status > 401 && !isTransient(error)) reportRefusal(`POST ${base}/login`, failure)
        throw error
      }
    },

    async signOut({ everywhere = false } = {}) {
      await call('/logout', { method: 'POST', body: JSON.stringify({ everywhere }) }).catch(() => undefined)
      end()
    },

    adopt(data) {
      const s = state.get()
      if (!data) {
        // The server saw no valid access cookie. While this client's token (whose cookie came with it) is
        // valid, the cookie was cleared: signed out here and in every tab. Once it has expired, the
        // refresh cookie may still be good (a page the proxy does not cover): the refresh decides.
        if (s.status !== 'authenticated') {
          if (s.status === 'loading') clear()
        } else if (s.expiresAt > now()) end()
        else refresh().catch(() => undefined)
        return
      }
      // The session this client already holds (its in-memory token may be newer) is left alone.
      const same =
        s.status === 'authenticated' &&
        (data.session && s.session
          ? data.session.id === s.session.id
          : JSON.stringify(data.user) === JSON.stringify(s.user))
      if (!same) share(data, 'signed-in')
    },

    refresh,

    async getAccessToken() {
      const { status, expiresAt } = state.get()
      if (status === 'unauthenticated' || status === 'error') return null
      const fresh = (expiresAt ?? 0) - now() > 5_000
      if (token && fresh) return token
      return fresh || status === 'loading' ? loadSession() : refresh()
    },
  }
  return client
}
