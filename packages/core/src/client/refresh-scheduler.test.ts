import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { refreshScheduler } from './refresh-scheduler.js'

describe('refreshScheduler', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 1_000_000 })
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('refreshes leewayMs before expiry', () => {
    const refresh = vi.fn()
    const s = refreshScheduler({ refresh, leewayMs: 30_000 })
    s.schedule(Date.now() + 900_000)
    vi.advanceTimersByTime(869_999)
    expect(refresh).not.toHaveBeenCalled()
    expect(s.isDue()).toBe(false)
    vi.advanceTimersByTime(1)
    expect(refresh).toHaveBeenCalledTimes(1)
  })

  it('refreshes half-way through lifetimes shorter than twice the leeway', () => {
    const refresh = vi.fn()
    const s = refreshScheduler({ refresh, leewayMs: 30_000 })
    s.schedule(Date.now() + 10_000)
    vi.advanceTimersByTime(4_999)
    expect(refresh).not.toHaveBeenCalled()
    vi.advanceTimersByTime(1)
    expect(refresh).toHaveBeenCalledTimes(1)
  })

  it('replaces the plan on reschedule and stops on cancel', () => {
    const refresh = vi.fn()
    const s = refreshScheduler({ refresh, leewayMs: 1_000 })
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
    const s = refreshScheduler({ refresh, leewayMs: 1_000, now: () => now })
    s.schedule(10_000)
    now = 9_500
    expect(s.isDue()).toBe(true)
  })

  it('re-arms timers longer than the platform maximum instead of firing at once', () => {
    const refresh = vi.fn()
    const s = refreshScheduler({ refresh, leewayMs: 1_000 })
    s.schedule(Date.now() + 40 * 86_400_000)
    vi.advanceTimersByTime(2_100_000_000)
    expect(refresh).not.toHaveBeenCalled()
    vi.advanceTimersByTime(40 * 86_400_000)
    expect(refresh).toHaveBeenCalledTimes(1)
  })
})
