import { describe, expect, it, vi } from 'vitest'
import { subject } from './observable.js'

describe('subject', () => {
  it('notifies subscribers on change only, and stops after unsubscribe', () => {
    const s = subject({ n: 0 })
    const listener = vi.fn()
    const off = s.subscribe(listener)
    const first = s.get()
    s.set(first)
    expect(listener).not.toHaveBeenCalled()
    s.set({ n: 1 })
    expect(listener).toHaveBeenCalledTimes(1)
    expect(s.get()).toEqual({ n: 1 })
    off()
    s.set({ n: 2 })
    expect(listener).toHaveBeenCalledTimes(1)
  })

  it('tolerates a listener that unsubscribes another during notification', () => {
    const s = subject(0)
    const calls: string[] = []
    let offB = () => {}
    s.subscribe(() => {
      calls.push('a')
      offB()
    })
    offB = s.subscribe(() => calls.push('b'))
    s.set(1)
    s.set(2)
    expect(calls).toEqual(['a', 'b', 'a'])
  })
})
