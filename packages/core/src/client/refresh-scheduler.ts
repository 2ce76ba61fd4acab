/** Options of {@link refreshScheduler}. */
export interface RefreshSchedulerOptions {
  /** Runs the refresh (already single-flighted by the caller if needed). */
  refresh: () => unknown
  /** Refresh this many ms before expiry. Default 30 000, capped at half the remaining lifetime. */
  leewayMs?: number
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

/** Timers longer than this overflow to immediate in browsers; re-arm instead. */
const MAX_TIMEOUT = 2_000_000_000
const NEVER = 1 / 0 // Infinity (a pure expression: bundles that do not use the scheduler drop it)

/**
 * Calls `refresh` shortly before expiry: `leewayMs` early, but never earlier
 * than half-way through a short lifetime, so a 10-second token is not
 * refreshed in a loop. Timers are re-armed for very long lifetimes.
 */
export function refreshScheduler(options: RefreshSchedulerOptions): RefreshScheduler {
  const now = options.now ?? Date.now
  const leeway = options.leewayMs ?? 30_000
  let timer: ReturnType<typeof setTimeout> | undefined
  let plannedAt = NEVER
  const dueAt = (expiresAt: number) => expiresAt - Math.min(leeway, Math.max(0, (expiresAt - now()) / 2))
  const clear = () => {
    if (timer !== undefined) clearTimeout(timer)
    timer = undefined
  }
  const arm = (expiresAt: number, at: number) => {
    clear()
    plannedAt = at
    const delay = Math.max(0, at - now())
    timer = setTimeout(
      () => {
        timer = undefined
        if (delay > MAX_TIMEOUT) arm(expiresAt, at)
        else options.refresh()
      },
      Math.min(delay, MAX_TIMEOUT),
    )
  }
  return {
    schedule: (expiresAt) => arm(expiresAt, dueAt(expiresAt)),
    isDue: () => now() >= plannedAt,
    cancel() {
      clear()
      plannedAt = NEVER
    },
  }
}
