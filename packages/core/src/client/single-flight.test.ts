import { describe, expect, it } from 'vitest'
import { singleFlight } from './single-flight.js'

describe('singleFlight', () => {
  it('shares one run among concurrent callers and starts a new one after it settles', async () => {
    let runs = 0
    const run = singleFlight(async () => {
      runs++
      await new Promise((r) => setTimeout(r, 5))
      return runs
    })
    const results = await Promise.all(Array.from({ length: 50 }, run))
    expect(runs).toBe(1)
    expect(new Set(results)).toEqual(new Set([1]))
    expect(await run()).toBe(2)
  })

  it('shares a failure without caching it', async () => {
    let runs = 0
    const run = singleFlight(async () => {
      runs++
      if (runs === 1) throw new Error('boom')
      return 'ok'
    })
    const settled = await Promise.allSettled([run(), run(), run()])
    expect(settled.map((s) => s.status)).toEqual(['rejected', 'rejected', 'rejected'])
    expect(await run()).toBe('ok')
    expect(runs).toBe(2)
  })

  it('turns a synchronous throw into a rejection', async () => {
    const run = singleFlight((): Promise<never> => {
      throw new Error('sync')
    })
    await expect(run()).rejects.toThrow('sync')
  })

  it('exposes the run in flight as pending, cleared before its callers resume', async () => {
    let finish: (value: string) => void = () => {}
    const run = singleFlight(() => new Promise<string>((resolve) => (finish = resolve)))
    expect(run.pending).toBeUndefined()
    const first = run()
    expect(run.pending).toBe(first)
    expect(run()).toBe(run.pending)
    await Promise.resolve()
    finish('done')
    expect(await first).toBe('done')
    expect(run.pending).toBeUndefined()
  })
})
