import type { BatonErrorCode } from '../errors/base.js'
import type { SessionInfo } from '../issued-session.js'
import type { AuthRequest } from './auth-request.js'
import type { TabLock } from './cross-tab.js'

/** A session as the server hands it to the browser (login, refresh, `/session`, or a server component). */
export interface ClientSession {
  user: Record<string, unknown> | null
  session?: SessionInfo | null
  /** Optional: a session passed from a server component usually omits it; it is fetched on first use. */
  accessToken?: string
  accessTokenExpiresAt: number
}

/** What went wrong, as plain data for the UI (not an `Error`). */
export interface AuthError {
  /** The server's `ERR_…` code (`ERR_NETWORK` when it could not be reached). */
  code: BatonErrorCode
  message: string
  /** The HTTP status of the answer; 503 for `ERR_NETWORK`, as on the `BatonError`. */
  status: number
}

/**
 * What the UI renders, narrowed by `status`:
 * - `loading`: the session is being fetched (`error` says why it is taking long, if it is);
 * - `authenticated`: signed in; `error` is the last transient failure, if any (a retry is planned);
 * - `unauthenticated`: signed out; `error` is why (a failed sign-in, an ended session), or null;
 * - `error`: the server refused for good (400, 403, 404, 405, 415…, e.g. `ERR_CSRF` behind a dev
 *   proxy): a setup problem, not an outage. No automatic retry; `signIn()` or `refresh()` may try again.
 */
export type AuthState =
  | {
      status: 'authenticated'
      user: Record<string, unknown> | null
      session: SessionInfo | null
      /** When the access token expires (ms). */
      expiresAt: number
      error: AuthError | null
    }
  | { status: 'loading'; user: null; session: null; expiresAt: null; error: AuthError | null }
  | { status: 'unauthenticated'; user: null; session: null; expiresAt: null; error: AuthError | null }
  | { status: 'error'; user: null; session: null; expiresAt: null; error: AuthError }

/**
 * What started a refresh: the planned `timer`; the tab's `focus`, `online` or `visibilitychange` (shown again);
 * `getAccessToken` finding the token expired (`token`); `GET /session` answering 401 on load
 * (`session`); a server-rendered session already expired (`adopt`); a `retry` after an outage; the
 * app calling `refresh()` (`call`); a 401 retried through `@baton/axios` (`axios`).
 */
export type RefreshCause =
  | 'timer'
  | 'focus'
  | 'online'
  | 'visibilitychange'
  | 'token'
  | 'session'
  | 'adopt'
  | 'retry'
  | 'call'
  | 'axios'

/** Something the client did, for logs and dev tools. Never carries a token. */
export interface AuthClientEvent {
  type: 'signed-in' | 'refreshed' | 'refresh-failed' | 'signed-out' | 'session-from-tab'
  at: number
  expiresAt?: number
  /** `refresh-failed`: the error's code. `signed-out`: why (absent: signed out by the app, or the server saw no session). */
  code?: BatonErrorCode
  /** `refreshed` / `refresh-failed`: what started the refresh. */
  cause?: RefreshCause
  /** `refreshed` / `refresh-failed`: ms from the call to its outcome, the wait for another tab included. */
  duration?: number
  /** `refreshed` / `refresh-failed`: how the wait for the cross-tab lock ended ({@link TabLock}). */
  lock?: TabLock
  /** `refreshed`: true when no request was sent because another tab's newer session was used. */
  shared?: boolean
  /** `signed-out`: `'tab'` when another tab's sign-out reached this one (that tab's own event says why). */
  from?: 'tab'
}

/**
 * How the client reaches the auth routes. The default sends the page's cookies (browsers);
 * `@baton/core/native` passes one that sends tokens instead (native apps, CLIs).
 */
export interface AuthTransport {
  /** Makes the function that calls `{base}{path}` and resolves to the JSON answer. Called without `this`. */
  request(base: string, getFetch: () => typeof fetch, now: () => number): AuthRequest
}

/**
 * Options of `createAuthClient`. Durations are **seconds**, like every duration option of Baton,
 * checked at creation: a value above the option's maximum throws `ConfigError` asking "did you pass
 * milliseconds?" (they were milliseconds in earlier 0.x releases). Timestamps (`expiresAt`, `now`) stay ms.
 */
export interface AuthClientOptions {
  /** Where `@baton/next`'s routes are mounted. Default `/api/auth`. */
  basePath?: string
  /**
   * What the server rendered with. `undefined`: ask `GET {basePath}/session` on start (then
   * `POST /refresh` on a 401); `null`: signed out, no request at all; a session: signed in, no
   * request until a token is needed. Later changes go through {@link AuthClient.adopt}.
   */
  initialSession?: ClientSession | null
  /**
   * Refresh the access token this many seconds before it expires — at most a third of the lifetime
   * left when the refresh is planned (`effectiveLeeway`, the proxies' rule too), so a short-lived
   * token is not refreshed in a loop. At most 3600. Default 30.
   */
  refreshLeeway?: number
  /** Coordinate tabs with Web Locks and BroadcastChannel. Default true. */
  crossTab?: boolean
  /** Longest wait (seconds, > 0, at most 60) for another tab's refresh lock before refreshing anyway. Default 10. */
  lockTimeout?: number
  /** Sign out after this many seconds (at most 86400) of inactivity in every tab; 0 disables. Default 0. */
  idleTimeout?: number
  /** Told of sign-ins, refreshes, failures and sign-outs; never given a token. */
  onEvent?: (event: AuthClientEvent) => void
  /**
   * The `fetch` for the auth routes. Default: the global one, with `credentials: 'same-origin'`, or
   * `'include'` when `basePath` is an absolute URL on another origin.
   */
  fetch?: typeof fetch
  /** Clock (ms), for tests. Default `Date.now`. */
  now?: () => number
  /**
   * Cookies (default), or the token transport of `@baton/core/native`, whose `createAuthClient`
   * sets it (with `crossTab: false`). With a transport, `start()` works without a page and attaches
   * no page listeners: timers only.
   */
  transport?: AuthTransport
}

/** The browser session client behind `@baton/react`; usable on its own. */
export interface AuthClient {
  getState(): AuthState
  subscribe(listener: () => void): () => void
  /** Attaches timers and focus/online/visibility listeners; returns `stop`. Call once, in the browser. */
  start(): () => void
  signIn(credentials: Record<string, string>): Promise<AuthState>
  signOut(options?: { everywhere?: boolean }): Promise<void>
  /**
   * Refreshes now (one refresh per page, and per browser across tabs); resolves to the new token, or
   * null when there is no session (signed out, or refused in another tab meanwhile); rejects with the
   * `BatonError` of an outage or a refusal. `cause` is reported in the `refreshed` event (default `call`).
   */
  refresh(options?: { cause?: RefreshCause }): Promise<string | null>
  /** A valid access token, refreshing first when it is about to expire; null when signed out or refused. */
  getAccessToken(): Promise<string | null>
  /**
   * Follows the session the server rendered with (e.g. after a server action signed in or out, or
   * `router.refresh()`), with no request: `null` signs out this tab and every other (a loading
   * client becomes signed out without asking); a session of another user or session id than the
   * one held is taken as a sign-in, shared with every tab. The session already held is left alone.
   */
  adopt(session: ClientSession | null): void
  /** Listens to the client's events, as the `onEvent` option does (dev tools use it); returns `stop`. */
  onEvent(listener: (event: AuthClientEvent) => void): () => void
  /** The access token held in memory, as is: no refresh, no request. For dev tools; APIs use `getAccessToken`. */
  peekAccessToken(): string | null
}
