import { ConfigError, type JsonObject } from '../../index.js'
import { type SecondsBounds, seconds } from '../../verify.js'
import type { AuthenticatedUser } from '../credentials.js'
import { defaultProtocol } from './default-protocol.js'
import type { UpstreamProtocol } from './upstream-protocol.js'

export type { UpstreamCall, UpstreamLoginResult, UpstreamProtocol, UpstreamTokenSet } from './upstream-protocol.js'

/**
 * The `upstream` option of `createBaton`. Every duration is in seconds (fractions allowed), like
 * `accessTokenTtl`; the `…Ms` names of earlier versions still work (milliseconds) but are deprecated.
 */
export interface UpstreamOptions extends Partial<UpstreamProtocol> {
  /** The upstream API's base URL, e.g. `process.env.BATON_UPSTREAM_URL`. */
  url: string
  /** Turns the upstream's user into Baton's (`{ id: string, … }`). Default: `id` (string or number) required. */
  toUser?: (upstreamUser: unknown) => AuthenticatedUser
  /** Seconds each login, refresh and resource call may take (at most 600). Default 5. */
  timeout?: number
  /** @deprecated Use `timeout`, in seconds (`timeoutMs: 5000` → `timeout: 5`). */
  timeoutMs?: number
  /** Seconds the best-effort upstream logout at sign-out may take (at most 600). Default 2. */
  logoutTimeout?: number
  /** @deprecated Use `logoutTimeout`, in seconds (`logoutTimeoutMs: 2000` → `logoutTimeout: 2`). */
  logoutTimeoutMs?: number
  /**
   * Refresh the *upstream's* access token (the third-party one Baton keeps sealed, not Baton's own)
   * this many seconds before it expires — at most a third of its lifetime, the same rule as Baton's
   * `refreshLeeway`. At most 3600. Default 30.
   */
  refreshLeeway?: number
  /** Retries of idempotent resource calls on timeouts, connection errors and 502/503/504. Default 2. */
  retries?: number
  /** Seconds before the first retry; doubles each time, with jitter (at most 60). Default 0.1. */
  retryDelay?: number
  /** @deprecated Use `retryDelay`, in seconds (`retryDelayMs: 100` → `retryDelay: 0.1`). */
  retryDelayMs?: number
  /** Seconds of the cross-process refresh lease; must exceed `timeout` (at most 3600). Default `timeout + 5`. */
  lease?: number
  /** @deprecated Use `lease`, in seconds (`leaseMs: 10000` → `lease: 10`). */
  leaseMs?: number
  /** The `fetch` the default protocol uses. Default: the global one. */
  fetch?: typeof fetch
}

/** Upstream options after defaults and validation; durations in milliseconds. */
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
  /** Sends a resource call with the access token (OpenID Connect: through openid-client, with DPoP). Default: a Bearer header. */
  send?: ((input: { url: string; init: RequestInit; accessToken: string }) => Promise<Response>) | undefined
}

function defaultToUser(upstreamUser: unknown): AuthenticatedUser {
  const user = upstreamUser as JsonObject | null
  const id = user && typeof user === 'object' ? user.id : undefined
  if ((typeof id !== 'string' || id === '') && typeof id !== 'number') {
    throw new ConfigError('The upstream login returned no user `id`; pass `upstream.toUser` to map its user.')
  }
  return { ...user, id: String(id) }
}

type Renamed = 'timeout' | 'logoutTimeout' | 'retryDelay' | 'lease'

/**
 * A duration option in seconds, or its deprecated `…Ms` alias in milliseconds (validated as
 * before: finite and ≥ 0, no maximum, so a value that worked keeps working). Both: a ConfigError.
 */
function duration(options: UpstreamOptions, name: Renamed, fallback: number, bounds: SecondsBounds): number {
  const legacy = options[`${name}Ms`]
  if (legacy === undefined) return seconds(`upstream.${name}`, options[name], fallback, bounds)
  if (options[name] !== undefined)
    throw new ConfigError(`Pass \`upstream.${name}\` (seconds) or the deprecated \`upstream.${name}Ms\`, not both.`)
  if (typeof legacy !== 'number' || !Number.isFinite(legacy) || legacy < 0)
    throw new ConfigError(`\`upstream.${name}Ms\` must be ≥ 0 (milliseconds; prefer \`upstream.${name}\` in seconds).`)
  return legacy
}

function count(name: string, value: number | undefined, fallback: number): number {
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
  const timeoutMs = duration(options, 'timeout', 5, { positive: true, max: 600 })
  const leaseMs = duration(options, 'lease', timeoutMs / 1000 + 5, { positive: true, max: 3600 })
  if (leaseMs <= timeoutMs) throw new ConfigError('`upstream.lease` must be longer than `upstream.timeout`.')
  return {
    url: url.href.replace(/\/+$/, ''),
    protocol: {
      login: options.login ?? defaultProtocol.login,
      refresh: options.refresh ?? defaultProtocol.refresh,
      logout: options.logout ?? defaultProtocol.logout,
    },
    toUser: options.toUser ?? defaultToUser,
    timeoutMs,
    logoutTimeoutMs: duration(options, 'logoutTimeout', 2, { positive: true, max: 600 }),
    refreshLeewayMs: seconds('upstream.refreshLeeway', options.refreshLeeway, 30, { max: 3600 }),
    retries: Math.floor(count('retries', options.retries, 2)),
    retryDelayMs: duration(options, 'retryDelay', 0.1, { max: 60 }),
    leaseMs,
    fetch: options.fetch ?? ((input, init) => fetch(input, init)),
  }
}
