import { seconds } from '../durations.js'
import { effectiveLeeway } from '../refresh-leeway.js'

/** Options of {@link refreshScheduler}. */
export interface RefreshSchedulerOptions {
  /** Runs the refresh (already single-flighted by the caller if needed). */
  refresh: () => unknown
  /**
   * Refresh this many **seconds** before expiry, at most a third of the lifetime left when the
   * refresh is planned ({@link effectiveLeeway}). At most 3600: a larger value is refused as
   * milliseconds passed by habit (`ConfigError`). Default 30.
   */
  leeway?: number
  /** Time source (ms). Default `Date.now`. */
  now?: () => number
}

/** Schedules one proactive refresh before an expiry. */
export interface RefreshScheduler {
  /** Plans the refresh for a token expiring at `expiresAt` (ms); replaces any earlier plan. */
  schedule(expiresAt: number): void
  /** True when the planned refresh time has passed (e.g. the tab slept through it). */
  isDue(): boolean
  /** Cancels the plan. */
  cancel(): void
}

/** Timers longer than this (~23 days) overflow to immediate in browsers. */
const MAX_TIMEOUT = 2_000_000_000
const NEVER = 1 / 0 // Infinity (a pure expression: bundles that do not use the scheduler drop it)

/**
 * Calls `refresh` shortly before expiry: `leeway` early, but never before the
 * last third of the lifetime left ({@link effectiveLeeway}, the rule the
 * proxies follow), so a 10-second token is not refreshed in a loop. A plan
 * beyond ~23 days (the longest browser timer) fires at 23 days, early rather
 * than at once. Throws `ConfigError` for a `leeway` that is not seconds.
 */
export function refreshScheduler(options: RefreshSchedulerOptions): RefreshScheduler {
  const now = options.now ?? Date.now
  const leeway = seconds('refreshLeeway', options.leeway, 30, { max: 3600 })
  let timer: ReturnType<typeof setTimeout> | undefined
  let plannedAt = NEVER
  return {
    schedule(expiresAt) {
      clearTimeout(timer)
      plannedAt = expiresAt - effectiveLeeway({ leeway, ttl: expiresAt - now() })
      // ≤ 0: at once. Capped: a longer timer fires at once in browsers; Baton's tokens live ≤ 7 days.
      timer = setTimeout(options.refresh, Math.min(plannedAt - now(), MAX_TIMEOUT))
    },
    isDue: () => now() >= plannedAt,
    cancel() {
      clearTimeout(timer)
      plannedAt = NEVER
    },
  }
}
