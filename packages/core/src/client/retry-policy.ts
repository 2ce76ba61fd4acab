import { isBatonError } from '../errors/base.js'

/** The first automatic retry comes after at most this long (ms); each further failure doubles it. */
export const RETRY_BASE_MS = 5_000
/** The longest wait between automatic retries (ms). */
export const RETRY_CAP_MS = 60_000
/**
 * The longest `Retry-After` honoured as is (ms, 10 min); a longer one is cut
 * to this. A literal: an expression here would survive tree-shaking into
 * `@baton/axios`, which imports `singleFlight` from the same entry.
 */
export const RETRY_AFTER_CAP_MS = 600_000

/**
 * Whether a failed call (its error or HTTP status) may succeed if tried
 * again: no answer (a network error), a 5xx, 408 or 429. Any other answer but 401 is a definitive
 * refusal (400, 403, 404, 405, 415…): retrying it only repeats it.
 */
export function isTransient(failure: unknown): boolean {
  // A status, or an error: anything but a BatonError (an unreadable answer) counts as no answer.
  const status = typeof failure === 'number' ? failure : isBatonError(failure) ? failure.status : 503
  return status >= 500 || status === 408 || status === 429
}

/** The wait (ms) a `Retry-After` header asks for — delta-seconds or an HTTP date — capped, or undefined. */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  // Number() reads delta-seconds (spaces around allowed) and is NaN for a date; Date.parse is NaN
  // for junk, "", "null" and "undefined": no wish.
  const delta = Number(value)
  const ms = value && delta >= 0 ? delta * 1_000 : Date.parse(String(value)) - now
  return Number.isNaN(ms) ? undefined : Math.min(Math.max(ms, 0), RETRY_AFTER_CAP_MS)
}

/**
 * The wait (ms) before the retry that follows `failures` failures in a row:
 * 5 s, 10 s, 20 s… up to 60 s, less up to half at random (jitter), so that
 * clients failing together do not come back together. The server's
 * `Retry-After`, when it gave one, wins.
 */
export function retryDelay(failures: number, retryAfterMs?: number, random: () => number = Math.random): number {
  // `failures` counts from 1 (the first failure waits the base delay).
  return retryAfterMs ?? Math.round(Math.min(RETRY_CAP_MS, RETRY_BASE_MS * 2 ** (failures - 1)) * (1 - random() / 2))
}

/** At most one pending retry, each planned later than the one before until {@link Backoff.reset}. */
export interface Backoff {
  /** Plans `task` after the next delay, replacing a pending plan; `retryAfterMs` is the server's wish. */
  schedule(task: () => void, retryAfterMs?: number): void
  /** Cancels the pending retry; the next failure waits the first delay again. */
  reset(): void
}

/** Creates the retry timer of one client: exponential backoff with jitter, capped. */
export function backoff(): Backoff {
  let failures = 0
  let timer: ReturnType<typeof setTimeout> | undefined
  return {
    schedule(task, retryAfterMs) {
      clearTimeout(timer)
      timer = setTimeout(task, retryDelay(++failures, retryAfterMs))
    },
    reset() {
      clearTimeout(timer)
      failures = 0
    },
  }
}
