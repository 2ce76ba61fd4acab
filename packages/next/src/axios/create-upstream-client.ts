import { AuthFailureError, withBaton } from '@baton/axios'
import { ConfigError, isBatonError, UpstreamUnavailableError } from '@baton/core'
import { backoff, isIdempotent, isTransientStatus } from '@baton/core/internal'
import type { BatonUpstream, UpstreamSessionRef } from '@baton/core/server'
import axios, { type AxiosInstance, type CreateAxiosDefaults, isAxiosError, isCancel } from 'axios'

interface RetryState {
  _upstreamAttempt?: number
}

/**
 * An axios instance for the upstream API on behalf of one signed-in session
 * (server side: route handlers, server actions, server components), built on
 * `@baton/axios`:
 * - every request goes to `upstream.url` (absolute URLs are not followed
 *   elsewhere: the token stays with the upstream), is bounded by `timeoutMs`, and
 *   carries the session's upstream access token, refreshed beforehand when
 *   it is about to expire — once per session for every concurrent request and
 *   process (see `baton.upstream.getAccessToken`);
 * - a 401 renews the token once, shared by all requests that got one, and
 *   retries each of them once;
 * - idempotent requests (GET, HEAD, OPTIONS, PUT, DELETE) are retried
 *   `retries` times with backoff on timeouts, connection errors and 502/503/504;
 * - outages that outlast the retries reject with `UpstreamUnavailableError`
 *   (`ERR_UPSTREAM_UNAVAILABLE`, 502/503: the session survives); a refusal of
 *   the refresh token rejects with `UpstreamSessionEndedError` (`ERR_UPSTREAM_SESSION_ENDED`, 401, the
 *   Baton session is ended). `withAuth` turns both into JSON responses.
 *   Other HTTP errors stay axios errors.
 *
 * Create one per request (it is cheap): it is bound to `session`.
 */
export function createUpstreamClient(
  baton: { upstream: BatonUpstream },
  session: UpstreamSessionRef,
  config: CreateAxiosDefaults = {},
): AxiosInstance {
  const { upstream } = baton
  const options = upstream.options
  if (!options) throw new ConfigError('Upstream mode is off: pass `upstream: { url }` to createBaton.')
  // allowAbsoluteUrls: false — a URL built from user input must never carry the upstream token to another host.
  const instance = axios.create({
    timeout: options.timeoutMs,
    ...config,
    baseURL: options.url,
    allowAbsoluteUrls: false,
  })
  let current: string | undefined
  withBaton(instance, {
    getAccessToken: async () => {
      current = await upstream.getAccessToken(session)
      return current
    },
    refresh: () => upstream.getAccessToken(session, current ? { rejected: current } : {}),
  })
  instance.interceptors.response.use(undefined, async (error: unknown) => {
    // withBaton wraps a failed renewal; surface Baton's own error (ended session, outage).
    if (error instanceof AuthFailureError && isBatonError(error.refreshError)) throw error.refreshError
    if (!isAxiosError(error) || isCancel(error) || !error.config) throw error
    const status = error.response?.status
    const transient = status === undefined || isTransientStatus(status)
    if (!transient && (status ?? 0) < 500) throw error
    const state = error.config as typeof error.config & RetryState
    const attempt = state._upstreamAttempt ?? 0
    if (transient && attempt < options.retries && isIdempotent(error.config.method)) {
      state._upstreamAttempt = attempt + 1
      await backoff(attempt, options.retryDelayMs)
      return instance.request(error.config)
    }
    if (status !== undefined) {
      throw new UpstreamUnavailableError(`The upstream answered ${status}.`, { status: 502, cause: error })
    }
    const timedOut = error.code === 'ECONNABORTED' || error.code === 'ETIMEDOUT'
    throw new UpstreamUnavailableError(
      timedOut ? 'The upstream did not answer in time.' : 'The upstream could not be reached.',
      { status: 503, cause: error },
    )
  })
  return instance
}
