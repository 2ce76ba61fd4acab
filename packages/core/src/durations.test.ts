import { describe, expect, it } from 'vitest'
import { seconds } from './durations.js'
import { resolveEngineOptions } from './engine-options.js'
import { ConfigError } from './errors.js'
import { MemorySessionStore } from './memory-store.js'

function refusal(run: () => unknown): ConfigError {
  try {
    run()
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError)
    return error as ConfigError
  }
  throw new Error('expected a ConfigError')
}

describe('seconds', () => {
  it('returns whole milliseconds, fractions allowed, and takes the fallback for undefined', () => {
    expect(seconds('timeout', 5, 1)).toBe(5000)
    expect(seconds('timeout', 0.25, 1)).toBe(250)
    expect(seconds('timeout', undefined, 60)).toBe(60_000)
    expect(seconds('grace', 0, 10)).toBe(0)
  })

  it.each([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, '60', true])(
    'refuses %s, naming the option and the unit',
    (value) => {
      const error = refusal(() => seconds('refreshLeeway', value, 60))
      expect(error.code).toBe('ERR_CONFIG')
      expect(error.message).toMatch(/^`refreshLeeway` must be a number of seconds ≥ 0; got /)
    },
  )

  it('refuses a negative value, and 0 where the option must be positive', () => {
    expect(refusal(() => seconds('reuseGrace', -1, 10)).message).toBe(
      '`reuseGrace` must be a number of seconds ≥ 0; got -1.',
    )
    expect(refusal(() => seconds('timeout', 0, 5, { positive: true })).message).toBe(
      '`timeout` must be a number of seconds > 0; got 0.',
    )
    expect(refusal(() => seconds('accessTokenTtl', 0.5, 900, { min: 1 })).message).toBe(
      '`accessTokenTtl` must be a number of seconds ≥ 1; got 0.5.',
    )
  })

  it('refuses a value above the maximum as milliseconds passed by habit', () => {
    expect(refusal(() => seconds('refreshLeeway', 30_000, 60, { max: 3600 })).message).toBe(
      '`refreshLeeway` is in seconds (at most 3600); got 30000. Did you pass milliseconds?',
    )
    expect(seconds('refreshLeeway', 3600, 60, { max: 3600 })).toBe(3_600_000)
    // The default maximum, ten years, still catches a lifetime of days written in milliseconds.
    expect(refusal(() => seconds('sessionTtl', 2_592_000_000, 1)).message).toMatch(/did you pass milliseconds\?/i)
  })

  it('guards the engine options: a 15-minute access token written in ms is refused', () => {
    const base = { store: new MemorySessionStore(), secret: 'x'.repeat(32), issuer: 'https://app.test' }
    expect(refusal(() => resolveEngineOptions({ ...base, accessTokenTtl: 900_000 })).message).toMatch(
      /^`accessTokenTtl` is in seconds \(at most 604800\); got 900000\. Did you pass milliseconds\?$/,
    )
    expect(refusal(() => resolveEngineOptions({ ...base, clockTolerance: 5000 })).message).toMatch(/clockTolerance/)
    expect(resolveEngineOptions({ ...base, accessTokenTtl: 60, clockTolerance: 2.5 })).toMatchObject({
      accessTokenTtlMs: 60_000,
      clockTolerance: 2.5,
    })
  })
})
