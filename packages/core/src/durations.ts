import { ConfigError } from './errors/service-errors.js'

/** Bounds of {@link seconds}, in seconds. */
export interface SecondsBounds {
  /** Smallest value accepted (inclusive). Default 0. */
  min?: number
  /** Refuse 0 (and anything ≤ 0): a timeout or a lifetime. Default false. */
  positive?: boolean
  /**
   * Largest value accepted (inclusive). Default ten years. Keep it near the
   * largest sane value: a value above it is most likely milliseconds passed by
   * habit, and the error says so.
   */
  max?: number
}

const TEN_YEARS = 315_360_000

/**
 * Validates a duration option given in seconds (fractions allowed) and
 * returns it in whole milliseconds. `undefined` takes `fallback`. Refuses a
 * non-number, NaN, ±Infinity and a value below `min` (or ≤ 0 with
 * `positive`) with one message ("must be a number of seconds ≥ 0"), and a
 * value above `max` with "did you pass milliseconds?", since
 * every duration in Baton's public options is in seconds. Each refusal is a
 * `ConfigError` naming the option.
 *
 * ```ts
 * seconds('refreshLeeway', options.refreshLeeway, 60, { max: 3600 }) // 60_000
 * seconds('refreshLeeway', 60_000, 60, { max: 3600 }) // throws: …is in seconds; did you pass milliseconds?
 * ```
 */
export function seconds(name: string, value: unknown, fallback: number, bounds: SecondsBounds = {}): number {
  const { min = 0, positive, max = TEN_YEARS } = bounds
  const v = value ?? fallback
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || (positive && v <= 0)) {
    const floor = positive && min <= 0 ? '> 0' : `≥ ${min}`
    throw new ConfigError(`\`${name}\` must be a number of seconds ${floor}; got ${String(v)}.`)
  }
  if (v > max) throw new ConfigError(`\`${name}\` is in seconds (at most ${max}); got ${v}. Did you pass milliseconds?`)
  return Math.round(v * 1000)
}
