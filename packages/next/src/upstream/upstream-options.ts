import { ConfigError, type JsonObject } from '@baton/core'
import type { AuthenticatedUser } from '../credentials.js'
import { defaultProtocol } from './default-protocol.js'
import type { UpstreamProtocol } from './upstream-protocol.js'

export type { UpstreamCall, UpstreamLoginResult, UpstreamProtocol, UpstreamTokenSet } from './upstream-protocol.js'

/** The `upstream` option of `createBaton`. Durations in milliseconds unless named otherwise. */
export interface UpstreamOptions extends Partial<UpstreamProtocol> {
  /** The upstream API's base URL, e.g. `process.env.BATON_UPSTREAM_URL`. */
  url: string
  /** Turns the upstream's user into Baton's (`{ id: string, … }`). Default: `id` (string or number) required. */
  toUser?: (upstreamUser: unknown) => AuthenticatedUser
  /** Bound on each login, refresh and resource call. Default 5000. */
  timeoutMs?: number
  /** Bound on the best-effort upstream logout at sign-out. Default 2000. */
  logoutTimeoutMs?: number
  /** Seconds before expiry an upstream access token is refreshed (capped at a third of its lifetime). Default 30. */
  refreshLeeway?: number
  /** Retries of idempotent resource calls on timeouts, connection errors and 502/503/504. Default 2. */
  retries?: number
  /** First retry delay; doubles each time, with jitter. Default 100. */
  retryDelayMs?: number
  /** Cross-process refresh lease. Default `timeoutMs + 5000`; must exceed `timeoutMs`. */
  leaseMs?: number
  /** The `fetch` the default protocol uses. Default: the global one. */
  fetch?: typeof fetch
}

/** Upstream options after defaults and validation. */
export interface ResolvedUpstreamOptions {
  url: string
  protocol: UpstreamProtocol
  toUser: (upstreamUser: unknown) => AuthenticatedUser
  timeoutMs: number
  logoutTimeoutMs: number
  refreshLeewayMs: number
  retries: number
  retryDelayMs: number
  leaseMs: number
  fetch: typeof fetch
}

function defaultToUser(upstreamUser: unknown): AuthenticatedUser {
  const user = upstreamUser as JsonObject | null
  const id = user && typeof user === 'object' ? user.id : undefined
  if ((typeof id !== 'string' || id === '') && typeof id !== 'number') {
    throw new ConfigError('The upstream login returned no user `id`; pass `upstream.toUser` to map its user.')
  }
  return { ...user, id: String(id) }
}

function duration(name: string, value: number | undefined, fallback: number): number {
  const v = value ?? fallback
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new ConfigError(`\`upstream.${name}\` must be ≥ 0.`)
  return v
}

/** Validates the `upstream` option at startup. */
export function resolveUpstreamOptions(options: UpstreamOptions): ResolvedUpstreamOptions {
  let url: URL
  try {
    url = new URL(options.url)
  } catch {
    throw new ConfigError('`upstream.url` must be an absolute http(s) URL, e.g. "http://api:4000".')
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ConfigError('`upstream.url` must be http(s).')
  const timeoutMs = duration('timeoutMs', options.timeoutMs, 5000)
  const leaseMs = duration('leaseMs', options.leaseMs, timeoutMs + 5000)
  if (leaseMs <= timeoutMs) throw new ConfigError('`upstream.leaseMs` must be longer than `upstream.timeoutMs`.')
  return {
    url: url.href.replace(/\/+$/, ''),
    protocol: {
      login: options.login ?? defaultProtocol.login,
      refresh: options.refresh ?? defaultProtocol.refresh,
      logout: options.logout ?? defaultProtocol.logout,
    },
    toUser: options.toUser ?? defaultToUser,
    timeoutMs,
    logoutTimeoutMs: duration('logoutTimeoutMs', options.logoutTimeoutMs, 2000),
    refreshLeewayMs: duration('refreshLeeway', options.refreshLeeway, 30) * 1000,
    retries: Math.floor(duration('retries', options.retries, 2)),
    retryDelayMs: duration('retryDelayMs', options.retryDelayMs, 100),
    leaseMs,
    fetch: options.fetch ?? ((input, init) => fetch(input, init)),
  }
}
