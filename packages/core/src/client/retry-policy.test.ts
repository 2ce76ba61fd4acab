import { afterEach, describe, expect, it, vi } from 'vitest'
import { BatonError, NetworkError } from '../errors.js'
import { backoff, isTransient, parseRetryAfter, RETRY_AFTER_CAP_MS, retryDelay } from './retry-policy.js'

const error = (status: number) => new BatonError('ERR_BAD_REQUEST', 'x', { status })

afterEach(() => {
  vi.useRealTimers()
})

describe('isTransient', () => {
  it('retries no answer, 5xx, 408 and 429 only', () => {
    for (const status of [500, 502, 503, 504, 408, 429]) expect(isTransient(error(status)), String(status)).toBe(true)
    for (const status of [400, 401, 403, 404, 405, 413, 415, 418, 422]) expect(isTransient(error(status))).toBe(false)
    expect(isTransient(new NetworkError('unreachable'))).toBe(true)
    expect(isTransient(new TypeError('unreadable answer'))).toBe(true)
  })
})

describe('retryDelay', () => {
  it('doubles from 5 s up to 60 s, without jitter at random() = 0', () => {
    const delays = [1, 2, 3, 4, 5, 6, 20].map((n) => retryDelay(n, undefined, () => 0))
    expect(delays).toEqual([5_000, 10_000, 20_000, 40_000, 60_000, 60_000, 60_000])
  })

  it('jitter takes at most half off', () => {
    expect(retryDelay(1, undefined, () => 0.5)).toBe(3_750)
    expect(retryDelay(5, undefined, () => 0.999_999)).toBe(30_000)
  })

  it("the server's Retry-After wins", () => {
    expect(retryDelay(4, 1_000, () => 0)).toBe(1_000)
  })
})

describe('parseRetryAfter', () => {
  const now = Date.UTC(2026, 0, 1)
  it('reads delta-seconds and HTTP dates, caps, and ignores junk', () => {
    expect(parseRetryAfter('30', now)).toBe(30_000)
    expect(parseRetryAfter(' 0 ', now)).toBe(0)
    expect(parseRetryAfter(new Date(now + 90_000).toUTCString(), now)).toBe(90_000)
    expect(parseRetryAfter(new Date(now - 90_000).toUTCString(), now)).toBe(0)
    expect(parseRetryAfter('86400', now)).toBe(RETRY_AFTER_CAP_MS)
    for (const junk of [null, undefined, '', 'soon']) expect(parseRetryAfter(junk, now)).toBeUndefined()
  })
})

describe('backoff', () => {
  it('keeps one pending retry, waits longer after each failure, and starts over after reset()', async () => {
    vi.useFakeTimers()
    vi.spyOn(Math, 'random').mockReturnValue(0)
    const task = vi.fn()
    const retries = backoff()
    retries.schedule(task)
    retries.schedule(task) // replaces the first plan: second failure, 10 s
    await vi.advanceTimersByTimeAsync(9_999)
    expect(task).not.toHaveBeenCalled()
    await vi.advanceTimersByTimeAsync(1)
    expect(task).toHaveBeenCalledTimes(1)
    retries.schedule(task)
    retries.reset()
    await vi.advanceTimersByTimeAsync(60_000)
    expect(task).toHaveBeenCalledTimes(1)
    retries.schedule(task)
    await vi.advanceTimersByTimeAsync(5_000)
    expect(task).toHaveBeenCalledTimes(2)
    vi.restoreAllMocks()
  })
})
