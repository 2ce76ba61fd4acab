import { describe, expect, it, vi } from 'vitest'
import { isPromiseLike, loadOnce } from './awaitable.js'

describe('loadOnce', () => {
  it('loads once, answers with the promise until it settles and with the value itself after', async () => {
    const load = vi.fn(async () => ({ key: 'k' }))
    const get = loadOnce(load)
    const first = get()
    expect(isPromiseLike(first)).toBe(true)
    expect(get()).toBe(first)
    const value = await first
    expect(get()).toBe(value)
    expect(isPromiseLike(get())).toBe(false)
    expect(load).toHaveBeenCalledTimes(1)
  })

  it('keeps a rejection for every caller without reporting it as unhandled', async () => {
    const unhandled = vi.fn()
    process.on('unhandledRejection', unhandled)
    try {
      const load = vi.fn(async () => {
        throw new Error('bad key')
      })
      const get = loadOnce(load)
      get()
      await new Promise((resolve) => setTimeout(resolve, 10))
      expect(unhandled).not.toHaveBeenCalled()
      await expect(get()).rejects.toThrow('bad key')
      expect(load).toHaveBeenCalledTimes(1)
    } finally {
      process.off('unhandledRejection', unhandled)
    }
  })
})
