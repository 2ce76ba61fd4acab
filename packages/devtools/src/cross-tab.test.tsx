import { BatonContext } from '@baton/react'
import { act, cleanup, render, screen, waitFor, within } from '@testing-library/react'
import { afterEach, beforeEach, expect, it, vi } from 'vitest'
import { fakeClient } from './devtools.fixture.js'
import { BatonDevtoolsPanel } from './panel.js'

beforeEach(() => {
  sessionStorage.clear()
  vi.stubGlobal(
    'fetch',
    vi.fn(async () => Response.json({ sessions: [] })),
  )
})

afterEach(() => {
  cleanup()
  vi.unstubAllGlobals()
  vi.restoreAllMocks()
})

/**
 * Two panels, each with its own client, as two tabs would have (one document here, so one
 * sessionStorage: each panel must not find the other's tab identity there).
 */
function twoTabs() {
  const getItem = Storage.prototype.getItem
  vi.spyOn(Storage.prototype, 'getItem').mockImplementation(function (this: Storage, key: string) {
    return key === 'baton-devtools:tab' ? null : getItem.call(this, key)
  })
  const a = fakeClient()
  const b = fakeClient()
  render(
    <>
      <div data-testid="a">
        <BatonContext.Provider value={a.client}>
          <BatonDevtoolsPanel initialIsOpen />
        </BatonContext.Provider>
      </div>
      <div data-testid="b">
        <BatonContext.Provider value={b.client}>
          <BatonDevtoolsPanel initialIsOpen />
        </BatonContext.Provider>
      </div>
    </>,
  )
  const panel = (id: 'a' | 'b') => within(screen.getByTestId(id))
  const label = (id: 'a' | 'b') =>
    /this is (tab [0-9a-f]{4})/.exec(panel(id).getByRole('heading', { level: 2 }).textContent ?? '')?.[1] ?? ''
  return { a, b, panel, label }
}

it('BroadcastChannel is there to carry the panels’ messages', () => {
  expect(typeof BroadcastChannel).toBe('function')
})

it("another tab's refresh shows under that tab's label, in the list and on its own lane", async () => {
  const { b, panel, label } = twoTabs()
  expect(label('a')).not.toBe(label('b'))
  act(() => b.emit({ type: 'refreshed', cause: 'focus', duration: 80, lock: 'held' }))

  await waitFor(() =>
    expect(panel('a').getAllByRole('listitem')[0]?.textContent).toMatch(
      new RegExp(`${label('b')} refreshed · window focus · 80 ms · ok · lock: held the lock$`),
    ),
  )
  const chart = panel('a').getAllByRole('img')[0] as HTMLElement
  expect(chart.getAttribute('aria-label')).toMatch(/^Timeline of 2 tabs: 1 refreshes/)
  expect([...chart.querySelectorAll('text')].map((t) => t.textContent)).toContain(label('b'))
  // The mark sits on the second lane (y = 30), not this tab's (y = 10).
  expect(chart.querySelector('[data-type="refreshed"] circle')?.getAttribute('cy')).toBe('30')
})

it('a lock wait names the tab that held the lock; a broadcast sign-out and a lock timeout are cross-tab events', async () => {
  const { a, b, panel, label } = twoTabs()
  // Distinct times: the list is ordered by time, whichever tab's message arrives first.
  const t = Date.now()
  act(() => b.emit({ type: 'refreshed', cause: 'timer', duration: 150, lock: 'held', at: t }))
  act(() => a.emit({ type: 'refreshed', cause: 'timer', duration: 160, lock: 'waited', shared: true, at: t + 5 }))
  act(() => b.emit({ type: 'refreshed', cause: 'visibilitychange', duration: 10_000, lock: 'timeout', at: t + 20_000 }))
  // B's refresh token was reused: B signs out and tells A, whose client only knows "another tab signed out".
  act(() => b.emit({ type: 'signed-out', code: 'ERR_REFRESH_TOKEN_REUSED', at: t + 30_000 }))
  act(() => a.emit({ type: 'signed-out', from: 'tab', at: t + 30_002 }))

  const crossTab = () => panel('a').getByRole('heading', { name: 'Across tabs' }).parentElement as HTMLElement
  await waitFor(() => expect(within(crossTab()).getAllByRole('listitem')).toHaveLength(3))
  const items = within(crossTab())
    .getAllByRole('listitem')
    .map((li) => li.textContent)
  expect(items[0]).toMatch(/this tab signed-out · Another tab signed out\.$/)
  expect(items[1]).toContain(`${label('b')} refreshed · tab shown again · 10000 ms · ok · lock: lock wait timed out`)
  expect(items[2]).toContain(
    `this tab refreshed · timer, before expiry · 160 ms · ok, another tab's session (no request) · ` +
      `lock: waited for another tab, held by ${label('b')}`,
  )
  const chart = panel('a').getAllByRole('img')[0] as HTMLElement
  expect(chart.querySelector('[data-mark="shared"] circle')?.getAttribute('fill')).toBe('none')
  // A's last sign-out takes the reason from B's own event.
  await waitFor(() =>
    expect(panel('a').getByRole('status').textContent).toMatch(
      new RegExp(`this tab: Another tab \\(${label('b')}\\) signed out: the refresh token was used twice`),
    ),
  )
})
