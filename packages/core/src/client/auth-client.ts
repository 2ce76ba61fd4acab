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
  RefreshCause,
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
  RefreshCause,
} from './auth-types.js'
export type { TabLock } from './cross-tab.js'

// Spelt out where used so bundlers inline it: the dev tools' details of each refresh are gone from
// production builds. Guarded for a page loading the module unbundled, without `process`.
declare const process: { env: Record<string, string | undefined> } | undefined

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
  let token = initial?.accessToken ?? null
  let started = false
  let channel = NO_TAB_CHANNEL
  const retries = backoff()
  // The last event: its subscribers are the event listeners (each event is a new object).
  const events = subject<AuthClientEvent | null>(null)
  const emit = (type: AuthClientEvent['type'], extra?: Partial<AuthClientEvent>) =>
    events.set({ type, at: now(), ...extra })
  let lastActivity = now()
  /** A refresh whose failure is reported through the state and events, not thrown. */
  const refreshQuietly = (why: RefreshCause) => refresh(why).catch(() => undefined)
  const scheduler = refreshScheduler({
    refresh: () => refreshQuietly('timer'),
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
  function retryLater(task: (why?: 'retry') => Promise<unknown>, error: unknown): void {
    if (started) retries.schedule(() => task('retry').catch(() => undefined), (error as RequestError).retryAfter)
  }

  function apply(data: ClientSession): void {
    token = data.accessToken ?? null
    // A new sign-in (here or in another tab) starts a fresh idle period.
    if (state.get().status !== 'authenticated') lastActivity = now()
    state.set(toState(data, state.get().session))
    retries.reset()
    if (started) scheduler.schedule(data.accessTokenExpiresAt)
  }

  /** Drops the token, the planned refresh and any retry; the state becomes `next`. */
  function clear(next: AuthState = signedOut()): void {
    token = null
    scheduler.cancel()
    retries.reset()
    state.set(next)
  }

  /** Takes a session got here (a sign-in, a refresh, or one the server rendered) and shares it with every tab. */
  function share(data: ClientSession, signIn?: boolean): void {
    apply(data)
    channel.post({ type: 'session', session: data })
    if (signIn) emit('signed-in', { expiresAt: data.accessTokenExpiresAt })
  }

  /** Signs out, saying so (with why, if `error`) unless already out, and telling every tab unless `told` by one. */
  function end(error: AuthError | null = null, told?: boolean): void {
    const wasIn = state.get().status !== 'unauthenticated'
    clear(signedOut(error))
    if (!told) channel.post({ type: 'signed-out' })
    if (wasIn) emit('signed-out', told ? { from: 'tab' } : { code: error?.code })
  }

  /** The server refused `request` for good: no session, no automatic retry, one console line, every tab told. */
  function refuse(error: AuthError, request: string, tell = true): void {
    const last = state.get()
    if (last.status !== 'error' || last.error.code !== error.code) reportRefusal(request, error)
    clear(signedOut(error, 'error'))
    if (tell) channel.post({ type: 'refused', error, request })
  }

  const getFetch = () => options.fetch ?? fetch
  const call = (transport?.request ?? authRequest)(base, getFetch, now)

  // `why`: what started this run (its first caller's cause).
  const refresh = singleFlight((why: RefreshCause | void) => {
    const before = state.get()
    const started = now()
    // Another tab refreshed or signed in since this refresh began: its result stands.
    const superseded = () =>
      !!token && state.get().expiresAt !== before.expiresAt && (state.get().expiresAt ?? 0) > now()
    return withTabLock(
      `baton:refresh:${base}`,
      lockTimeout,
      async (lock) => {
        // What the events say of this run; in development, also what the dev tools' timeline needs.
        const report = (type: AuthClientEvent['type'], extra?: Partial<AuthClientEvent>) =>
          emit(
            type,
            typeof process !== 'undefined' && process.env.NODE_ENV !== 'production'
              ? { cause: why ?? 'call', lock, duration: now() - started, ...extra }
              : extra,
          )
        const useShared = () => {
          if (typeof process !== 'undefined' && process.env.NODE_ENV !== 'production')
            report('refreshed', { shared: true })
          return token
        }
        // Another tab was refused meanwhile: that stands too (one refused request per browser, not per tab).
        if (state.get() !== before && state.get().status === 'error') return null
        if (superseded() && !scheduler.isDue()) return useShared()
        try {
          const data = await call('/refresh', { method: 'POST' })
          share(data)
          report('refreshed', { expiresAt: data.accessTokenExpiresAt })
          return token
        } catch (error) {
          // A failure of a request sent before another tab's newer session arrived says nothing about that session.
          if (superseded()) return useShared()
          const failure = toAuthError(error)
          const failed = () => report('refresh-failed', { code: failure.code })
          if (failure.status === 401) {
            // Only a session that existed ends; a visitor without one is not an error, nor news to other tabs.
            if (state.get().status === 'authenticated') {
              failed()
              end(failure)
            } else clear()
            return null
          }
          failed()
          if (!isTransient(error)) refuse(failure, `POST ${base}/refresh`)
          else {
            // Unreachable or overloaded: keep the session, say so, try again later.
            state.set({ ...state.get(), error: failure })
            retryLater(refresh, error)
          }
          throw error
        }
      },
      (stop) => state.subscribe(() => superseded() && stop()),
    )
  })

  const loadSession = singleFlight<string | null, 'retry' | void>(async () => {
    try {
      apply(await call('/session'))
      return token
    } catch (error) {
      const failure = toAuthError(error)
      // No refresh cookie either (the server says so): signed out, without a refresh that would fail.
      if (failure.code === 'ERR_REFRESH_TOKEN_MISSING') {
        clear()
        return null
      }
      if (failure.status === 401) return refresh('session')
      if (!isTransient(error)) {
        emit('refresh-failed', { code: failure.code })
        refuse(failure, `GET ${base}/session`)
      } else if (state.get().status === 'loading') {
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
    } else if (message.type === 'signed-out') end(null, true)
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
      const check = (event: Event) => {
        // Due covers expired: the plan is never after the expiry.
        if (document.visibilityState === 'visible' && state.get().status === 'authenticated' && scheduler.isDue())
          refreshQuietly(event.type as 'focus' | 'online' | 'visibilitychange')
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
      // None calls preventDefault (touchstart on window is passive by default); `stop` removes them all.
      const listening = new AbortController()
      const on = (target: EventTarget, names: string[], fn: (event: Event) => void) => {
        for (const name of names) target.addEventListener(name, fn, listening)
      }
      if (!transport) {
        on(window, ['focus', 'online'], check)
        on(document, ['visibilitychange'], check)
        if (idle > 0) on(window, ['pointerdown', 'keydown', 'scroll', 'touchstart'], active)
      }
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
        share(await call('/login', { method: 'POST', body: JSON.stringify(credentials) }), true)
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
        else refreshQuietly('adopt')
        return
      }
      // The session this client already holds (its in-memory token may be newer) is left alone.
      const same =
        s.status === 'authenticated' &&
        (data.session && s.session
          ? data.session.id === s.session.id
          : JSON.stringify(data.user) === JSON.stringify(s.user))
      if (!same) share(data, true)
    },

    refresh: (options) => refresh(options?.cause),

    async getAccessToken() {
      const { status, expiresAt } = state.get()
      if (status === 'unauthenticated' || status === 'error') return null
      const fresh = (expiresAt ?? 0) - now() > 5_000
      if (token && fresh) return token
      return fresh || status === 'loading' ? loadSession() : refresh('token')
    },

    onEvent: (listener) => events.subscribe(() => listener(events.get() as AuthClientEvent)),

    peekAccessToken: () => token,
  }
  if (options.onEvent) client.onEvent(options.onEvent)
  return client
}
