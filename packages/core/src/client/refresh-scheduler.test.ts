import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { refreshScheduler } from './refresh-scheduler.js'

describe('refreshScheduler', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 1_000_000 })
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('refreshes leeway (seconds) before expiry', () => {
    const refresh = vi.fn()
    const s = refreshScheduler({ refresh, leeway: 30 })
    s.schedule(Date.now() + 900_000)
    vi.advanceTimersByTime(869_999)
    expect(refresh).not.toHaveBeenCalled()
    expect(s.isDue()).toBe(false)
    vi.advanceTimersByTime(1)
    expect(refresh).toHaveBeenCalledTimes(1)
  })

  it('refreshes in the last third of lifetimes shorter than three times the leeway (effectiveLeeway)', () => {
    const refresh = vi.fn()
    const s = refreshScheduler({ refresh, leeway: 30 })
    s.schedule(Date.now() + 9_000)
    vi.advanceTimersByTime(5_999)
    expect(refresh).not.toHaveBeenCalled()
    vi.advanceTimersByTime(1)
    expect(refresh).toHaveBeenCalledTimes(1)
  })

  it('replaces the plan on reschedule and stops on cancel', () => {
    const refresh = vi.fn()
    const s = refreshScheduler({ refresh, leeway: 1 })
    s.schedule(Date.now() + 5_000)
    s.schedule(Date.now() + 60_000)
    vi.advanceTimersByTime(10_000)
    expect(refresh).not.toHaveBeenCalled()
    s.cancel()
    vi.advanceTimersByTime(100_000)
    expect(refresh).not.toHaveBeenCalled()
    expect(s.isDue()).toBe(false)
  })

  it('reports due when the planned time passed without the timer firing (a sleeping tab)', () => {
    let now = 0
    const refresh = vi.fn()
    const s = refreshScheduler({ refresh, leeway: 1, now: () => now })
    s.schedule(10_000)
    now = 9_500
    expect(s.isDue()).toBe(true)
  })

  it('refuses a leeway that is not seconds, at creation', () => {
    expect(() => refreshScheduler({ refresh: vi.fn(), leeway: 30_000 })).toThrow(
      '`refreshLeeway` is in seconds (at most 3600); got 30000. Did you pass milliseconds?',
    )
    expect(() => refreshScheduler({ refresh: vi.fn(), leeway: -1 })).toThrow(
      '`refreshLeeway` must be a number of seconds ≥ 0; got -1.',
    )
  })

  it('caps timers at the platform maximum (~23 days): early, never at once', () => {
    const refresh = vi.fn()
    const s = refreshScheduler({ refresh, leeway: 1 })
    s.schedule(Date.now() + 40 * 86_400_000)
    vi.advanceTimersByTime(1_999_999_999)
    expect(refresh).not.toHaveBeenCalled()
    vi.advanceTimersByTime(1)
    expect(refresh).toHaveBeenCalledTimes(1)
  })
})
