/** Arguments of {@link effectiveLeeway}: two durations in one unit (Baton's code passes ms). */
export interface LeewayInput {
  /** The configured `refreshLeeway` (already validated, e.g. by `seconds()`). */
  leeway: number
  /**
   * The access token's lifetime: `exp − iat` where the holder can read them
   * (the proxies), else the lifetime left when the holder got the token (the
   * session client). Negative counts as 0.
   */
  ttl: number
}

/**
 * How long before an access token's expiry to refresh it: the configured
 * `refreshLeeway`, but never more than a third of the token's lifetime, so a
 * short-lived token is not refreshed on every request (or in a loop). The one
 * rule of every holder of a token — the Node and Edge proxies, upstream mode
 * and the session client of `@baton/core/client` and `@baton/core/native` —
 * so `refreshLeeway` means the same wherever it is set.
 *
 * ```ts
 * effectiveLeeway({ leeway: 60_000, ttl: 900_000 }) // 60_000: a 15-minute token, refreshed 1 min early
 * effectiveLeeway({ leeway: 60_000, ttl: 30_000 }) // 10_000: a 30-second token, in its last third
 * ```
 */
export function effectiveLeeway({ leeway, ttl }: LeewayInput): number {
  return Math.min(leeway, Math.max(0, ttl) / 3)
}
