import { backoff, isIdempotent, isTransientStatus } from './retry.js'
import { asUpstreamError, UpstreamUnavailableError } from './upstream-errors.js'
import type { ResolvedUpstreamOptions } from './upstream-options.js'

/** How `upstream.fetch` gets and renews the session's token. */
export type TokenSource = (options?: { rejected?: string }) => Promise<string>

/**
 * `fetch` against the upstream with the session's access token: `path` is
 * relative to `upstream.url`. Each attempt is bounded by `timeoutMs`;
 * idempotent methods are retried on timeouts, connection errors and
 * 502/503/504 with backoff; a 401 renews the token once (shared with every
 * concurrent caller) and retries. Outages that outlast the retries reject with
 * `UpstreamUnavailableError`; any other answer is returned as is.
 */
export async function upstreamFetch(
  options: ResolvedUpstreamOptions,
  token: TokenSource,
  path: string,
  init: RequestInit = {},
): Promise<Response> {
  if (!path.startsWith('/') || path.startsWith('//')) throw new TypeError('upstream.fetch: `path` must start with "/".')
  const retries = isIdempotent(init.method) && !(init.body instanceof ReadableStream) ? options.retries : 0
  let accessToken = await token()
  let renewed = false
  for (let attempt = 0; ; attempt++) {
    const headers = new Headers(init.headers)
    const signals = [AbortSignal.timeout(options.timeoutMs), ...(init.signal ? [init.signal] : [])]
    const attemptInit = { ...init, headers, signal: AbortSignal.any(signals) }
    let response: Response
    try {
      if (options.send) {
        response = await options.send({ url: `${options.url}${path}`, init: attemptInit, accessToken })
      } else {
        headers.set('authorization', `Bearer ${accessToken}`)
        response = await options.fetch(`${options.url}${path}`, attemptInit)
      }
    } catch (error) {
      if (init.signal?.aborted) throw error
      if (attempt < retries) {
        await backoff(attempt, options.retryDelayMs)
        continue
      }
      throw asUpstreamError(error, `call ${path}`)
    }
    if (response.status === 401 && !renewed) {
      await response.body?.cancel().catch(() => undefined)
      renewed = true
      accessToken = await token({ rejected: accessToken })
      attempt--
      continue
    }
    if (isTransientStatus(response.status) || response.status >= 500) {
      await response.body?.cancel().catch(() => undefined)
      if (attempt < retries && isTransientStatus(response.status)) {
        await backoff(attempt, options.retryDelayMs)
        continue
      }
      throw new UpstreamUnavailableError(`The upstream answered ${response.status} to ${path}.`, { status: 502 })
    }
    return response
  }
}
