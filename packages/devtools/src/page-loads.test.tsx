import { act, cleanup, renderHook } from '@testing-library/react'
import { afterEach, beforeEach, expect, it, vi } from 'vitest'
import { fakeClient } from './devtools.fixture.js'
import { newTabIdentity } from './tab-channel.js'

beforeEach(() => sessionStorage.clear())
afterEach(cleanup)

it("a tab's next page (same tab identity, a fresh module) records its events next to the last page's", async () => {
  const tab = newTabIdentity()
  const load = async () => {
    vi.resetModules() // a page load: the module (and its event counter) starts over
    const { useDevtoolsEvents } = await import('./use-devtools-events.js')
    const fake = fakeClient()
    const hook = renderHook(() => useDevtoolsEvents({ client: fake.client, tab }))
    return { fake, hook }
  }
  const first = await load()
  act(() => first.fake.emit({ type: 'signed-in' }))
  first.hook.unmount()
  const second = await load()
  act(() => second.fake.emit({ type: 'refreshed', cause: 'timer' }))
  const entries = second.hook.result.current.entries
  expect(entries.map((e) => (e.kind === 'client' ? e.event.type : e.kind))).toEqual(['signed-in', 'refreshed'])
  expect(new Set(entries.map((e) => e.id)).size).toBe(2)
})
