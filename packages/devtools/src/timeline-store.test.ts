import { describe, expect, it } from 'vitest'
import type { ClientEvent } from './contract.js'
import type { TimelineEntry } from './timeline-entry.js'
import { createTimelineStore } from './timeline-store.js'

const entry = (n: number, event: Partial<ClientEvent> = {}): TimelineEntry => ({
  id: `t:${n}`,
  tab: 't',
  label: 'tab t',
  kind: 'client',
  event: { type: 'refreshed', at: 1000 + n, ...event },
})

function memoryStorage() {
  const items = new Map<string, string>()
  return {
    getItem: (k: string) => items.get(k) ?? null,
    setItem: (k: string, v: string) => void items.set(k, v),
    items,
  }
}

describe('createTimelineStore', () => {
  it('keeps the newest `max` entries in time order, ignores a known id, and notifies', () => {
    const store = createTimelineStore({ storage: null, max: 3 })
    let calls = 0
    store.subscribe(() => calls++)
    for (const n of [4, 1, 3, 2, 5]) store.add(entry(n))
    store.add(entry(5))
    expect(store.getSnapshot().entries.map((e) => e.id)).toEqual(['t:3', 't:4', 't:5'])
    expect(calls).toBe(5)
  })

  it('is saved to storage and read back by the next store (the next page of the tab)', () => {
    const storage = memoryStorage()
    const first = createTimelineStore({ storage })
    first.add(entry(1))
    first.add(entry(2, { type: 'signed-out', code: 'ERR_SESSION_EXPIRED' }))
    const next = createTimelineStore({ storage })
    expect(next.getSnapshot().entries).toHaveLength(2)
    expect(next.getSnapshot().lastSignOut?.id).toBe('t:2')
  })

  it('the last sign-out stays when it falls off the bounded list; an older one arriving late does not replace it', () => {
    const store = createTimelineStore({ storage: null, max: 2 })
    store.add(entry(10, { type: 'signed-out', code: 'ERR_SESSION_REVOKED' }))
    store.add(entry(5, { type: 'signed-out' }))
    for (const n of [11, 12, 13]) store.add(entry(n))
    expect(store.getSnapshot().entries.map((e) => e.id)).toEqual(['t:12', 't:13'])
    expect(store.getSnapshot().lastSignOut?.id).toBe('t:10')
  })

  it('bounded at 100 by default; broken or full storage does not break it', () => {
    const broken = {
      getItem: () => '{not json',
      setItem: () => {
        throw new Error('QuotaExceededError')
      },
    }
    const store = createTimelineStore({ storage: broken })
    for (let n = 0; n < 130; n++) store.add(entry(n))
    expect(store.getSnapshot().entries).toHaveLength(100)
    expect(store.getSnapshot().entries[0]?.id).toBe('t:30')
  })
})
