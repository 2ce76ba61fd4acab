import { RateLimitedError, type SessionStore } from '../../index.js'
import { sha256 } from '../../internal.js'
import type { ResolvedBatonOptions } from '../options.js'
import { ipBucket } from './client-ip.js'

/**
 * Counts one login attempt against two limits kept in the store (so they hold
 * across instances): per (client IP or /64, account) at `limit`, and per
 * account at `accountLimit` — the latter also stops a botnet rotating IPs.
 * When the IP is unknown only the per-account limits apply, at `limit`.
 * Keys hold the SHA-256 of the account, never the account itself.
 *
 * @throws RateLimitedError (429, with Retry-After) when either is exceeded
 */
export async function consumeLoginAttempt(
  store: SessionStore,
  options: ResolvedBatonOptions,
  input: { ip: string | null; account: string; now: number },
): Promise<string[]> {
  const limits = options.rateLimit
  if (!limits) return []
  // The account is whatever the client typed: hash it, so a key never holds a
  // NUL (which Postgres text refuses), unbounded text, or a password typed
  // into the email field in the clear.
  const account = await sha256(input.account)
  const keys: [string, number][] = [
    input.ip
      ? [`login:ip-account:${ipBucket(input.ip)}:${account}`, limits.limit]
      : [`login:account:${account}`, limits.limit],
  ]
  if (input.ip) keys.push([`login:account:${account}`, limits.accountLimit])
  for (const [key, limit] of keys) {
    const result = await store.consumeRateLimit({ key, limit, windowMs: limits.windowMs, now: input.now })
    if (!result.allowed) throw new RateLimitedError((result.resetAt - input.now) / 1000)
  }
  return keys.map(([key]) => key)
}
