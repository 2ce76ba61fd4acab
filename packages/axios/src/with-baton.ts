import {
  type AxiosError,
  type AxiosInstance,
  CanceledError,
  type InternalAxiosRequestConfig,
  isAxiosError,
  isCancel,
} from 'axios'
import { abortable } from './abortable.js'
import { AuthFailureError } from './auth-failure-error.js'
import { createRefresher, inside, type Refresher, type RefreshFunction } from './refresher.js'
import type { RequestState } from './request-state.js'

interface CommonOptions {
  /** The current access token, or null/undefined when there is none (no header is sent). */
  getAccessToken: () => string | null | undefined | Promise<string | null | undefined>
  /** Runs once per failed refresh (not once per waiting request), before the requests reject. */
  onAuthFailure?: (error: AuthFailureError) => void
  /** Which errors call for a refresh. Default: `error.response?.status === 401`. */
  shouldRefresh?: (error: AxiosError) => boolean
  /** Requests whose 401 is final (no refresh, no retry), e.g. the refresh call itself. Default: none. */
  skip?: (config: InternalAxiosRequestConfig) => boolean
}

/** Options of {@link withBaton}: `refresh`, or a `refresher` shared with other instances. */
export type WithBatonOptions = CommonOptions &
  (
    | {
        /** Gets a new access token (null/undefined: no session). Called once per burst of 401s. */
        refresh: RefreshFunction
        refresher?: never
      }
    | {
        /** A refresher from `createRefresher`, shared with other axios instances. */
        refresher: Refresher
        refresh?: never
      }
  )

/**
 * Baton's state for a request, or undefined when the caller set an
 * Authorization header of their own: Baton leaves that request alone, and a
 * 401 on it is final (a refresh could not change the credentials it sent).
 */
function stateOf(config: InternalAxiosRequestConfig): RequestState | undefined {
  config.baton ??= {}
  const state: RequestState = config.baton
  const header = config.headers.get('Authorization')
  return header == null || header === state._auth ? state : undefined
}

/** onAuthFailure handlers already told about a failed refresh run. */
const notified = new WeakMap<Promise<string>, Set<(error: AuthFailureError) => void>>()

/**
 * Installs Baton on an axios instance and returns a function that removes it.
 *
 * - Each request gets `Authorization: Bearer <token>` when `getAccessToken`
 *   has one, unless it is `baton.skipAuth` or already carries its own
 *   Authorization header (kept as is). A request made while a refresh is in
 *   flight waits for it and goes out with the new token.
 * - A 401 (`shouldRefresh`) awaits one shared refresh and retries the request
 *   once with the new token. A 401 from the retry, from a request that waited
 *   for a refresh, from the caller's own Authorization or from a
 *   `skipAuth`/`skipRefresh`/`skip` request is final: never a loop.
 * - When the refresh fails, `onAuthFailure` runs once and every waiting
 *   request rejects with an `AuthFailureError`; the next 401 may refresh again.
 * - A request whose `signal` aborts while it waits rejects at once with
 *   axios's `CanceledError`; the refresh goes on for the others.
 */
export function withBaton(instance: AxiosInstance, options: WithBatonOptions): () => void {
  const { getAccessToken, onAuthFailure, shouldRefresh = (e) => e.response?.status === 401, skip } = options
  const refresher = options.refresher ?? createRefresher(options.refresh as RefreshFunction)
  const final = (config: InternalAxiosRequestConfig, state: RequestState) =>
    state.skipAuth || state.skipRefresh || skip?.(config)

  const fail = (run: Promise<string>, refreshError: unknown, cause: unknown) => {
    const error = new AuthFailureError(refreshError, { cause })
    const seen = notified.get(run) ?? new Set()
    if (onAuthFailure && !seen.has(onAuthFailure)) {
      notified.set(run, seen.add(onAuthFailure))
      // A microtask: it still runs before the caller sees the rejection, and a
      // throwing handler surfaces as an unhandled rejection, not as this request's error.
      Promise.resolve(error).then(onAuthFailure)
    }
    return error
  }

  const request = instance.interceptors.request.use(
    async (config) => {
      const state = stateOf(config)
      if (!state || state.skipAuth) return config
      let token: string | null | undefined = state._token
      const pending = refresher.pending
      if (!token && pending && !final(config, state)) {
        state._waited = pending
        // A failed refresh is dealt with if this request gets a 401.
        token = await abortable(
          pending.catch(() => undefined),
          config,
        )
      }
      token ||= await getAccessToken()
      state._auth = token && `Bearer ${token}`
      if (state._auth) config.headers.set('Authorization', state._auth)
      else config.headers.delete('Authorization')
      return config
    },
    undefined,
    {
      // axios calls runWhen synchronously inside `instance.get()` & co.: this is
      // how a refresh that goes through this very instance is told apart.
      runWhen(config) {
        if (inside.refresh) config.baton = { ...config.baton, skipRefresh: true }
        return true
      },
    },
  )

  const response = instance.interceptors.response.use(undefined, async (error: unknown) => {
    const config = isAxiosError(error) && error.config
    if (!config || isCancel(error) || !shouldRefresh(error)) throw error
    const state = stateOf(config)
    if (!state || final(config, state) || state._retried) throw error
    const waited = state._waited
    if (waited) {
      // It went out after a refresh: final, and an AuthFailureError if that refresh failed.
      await waited.catch((refreshError) => {
        throw fail(waited, refreshError, error)
      })
      throw error
    }
    if (config.signal?.aborted) throw new CanceledError(undefined, config)
    state._retried = true
    // Sent with a token that has been replaced since (a refresh finished meanwhile): no new refresh.
    let token = await getAccessToken()
    if (!token || `Bearer ${token}` === state._auth) {
      const run = refresher.refresh()
      try {
        token = await abortable(run, config)
      } catch (refreshError) {
        throw config.signal?.aborted ? new CanceledError(undefined, config) : fail(run, refreshError, error)
      }
    }
    state._token = token
    return instance.request(config)
  })

  return () => {
    instance.interceptors.request.eject(request)
    instance.interceptors.response.eject(response)
  }
}
