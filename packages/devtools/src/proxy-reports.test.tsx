import { act, cleanup, screen, within } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { fakeClient, renderWith } from './devtools.fixture.js'
import { BatonDevtoolsPanel } from './panel.js'
import { parseRedirectCookie, REDIRECT_COOKIE, reportsFromTiming } from './proxy-reports.js'

const ORIGIN = 1_760_000_000_000

describe('reportsFromTiming', () => {
  it("reads Server-Timing's baton entry: action, reason, duration, path, time", () => {
    const keyed = reportsFromTiming(
      {
        name: 'http://localhost:3000/dashboard?tab=1',
        startTime: 12.5,
        responseEnd: 40.2,
        serverTiming: [
          { name: 'db', duration: 9, description: '' },
          { name: 'baton', duration: 3.4, description: 'refreshed:expiring' },
        ],
      },
      ORIGIN,
    )
    expect(keyed).toEqual([
      {
        key: expect.any(String),
        report: { action: 'refreshed', reason: 'expiring', path: '/dashboard', at: ORIGIN + 40, duration: 3.4 },
      },
    ])
  })

  it('an ERR_ code as the reason; no baton entry or a `passed` one, no report; the same entry twice, the same key', () => {
    const entry = {
      name: 'http://localhost:3000/api/data',
      startTime: 1,
      serverTiming: [{ name: 'baton', duration: 0, description: 'denied:ERR_SESSION_REVOKED' }],
    }
    const [first] = reportsFromTiming(entry, ORIGIN)
    expect(first?.report).toEqual({
      action: 'denied',
      reason: 'ERR_SESSION_REVOKED',
      path: '/api/data',
      at: ORIGIN + 1,
    })
    expect(reportsFromTiming(entry, ORIGIN)[0]?.key).toBe(first?.key)
    expect(reportsFromTiming({ name: '/x', startTime: 0, serverTiming: [] }, ORIGIN)).toEqual([])
    const passed = [{ name: 'baton', duration: 0.1, description: 'passed:auth-route' }]
    expect(reportsFromTiming({ name: '/api/auth/sessions', startTime: 0, serverTiming: passed }, ORIGIN)).toEqual([])
    expect(reportsFromTiming({ name: '/x', startTime: 0 }, ORIGIN)).toEqual([])
  })
})

describe('the redirect cookie', () => {
  const value = encodeURIComponent(
    JSON.stringify({ action: 'redirected', reason: 'missing-access', path: '/account', at: ORIGIN }),
  )

  it('parses among other cookies; ignores garbage', () => {
    expect(parseRedirectCookie(`a=1; ${REDIRECT_COOKIE}=${value}; b=2`)).toEqual({
      action: 'redirected',
      reason: 'missing-access',
      path: '/account',
      at: ORIGIN,
    })
    expect(parseRedirectCookie(`${REDIRECT_COOKIE}=%7Bnot-json`)).toBeNull()
    expect(parseRedirectCookie('a=1')).toBeNull()
  })
})

describe('in the panel', () => {
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
  })

  const proxySection = () => screen.getByRole('heading', { name: 'Proxy decisions' }).parentElement as HTMLElement

  it('shows the redirect cookie, then deletes it', () => {
    // biome-ignore lint/suspicious/noDocumentCookie: sets up the cookie the panel reads
    document.cookie = `${REDIRECT_COOKIE}=${encodeURIComponent(
      JSON.stringify({ action: 'redirected', reason: 'ERR_SESSION_EXPIRED', path: '/account', at: Date.now() }),
    )}; Path=/`
    expect(document.cookie).toContain(REDIRECT_COOKIE)
    const { client } = fakeClient()
    renderWith(client, <BatonDevtoolsPanel initialIsOpen />)
    expect(within(proxySection()).getByRole('listitem').textContent).toMatch(
      /proxy redirected \(ERR_SESSION_EXPIRED\) \/account$/,
    )
    expect(document.cookie).not.toContain(REDIRECT_COOKIE)
    expect(document.querySelector('svg [data-mark="proxy-stop"] path')).not.toBeNull()
  })

  it('observes navigation and resource entries (buffered) and shows their reports on the proxy lane', () => {
    const observed: PerformanceObserverInit[] = []
    let deliver: (entries: object[]) => void = () => undefined
    class FakeObserver {
      static supportedEntryTypes = ['navigation', 'resource', 'paint']
      constructor(callback: (list: { getEntries(): object[] }) => void) {
        deliver = (entries) => callback({ getEntries: () => entries })
      }
      observe(init: PerformanceObserverInit): void {
        observed.push(init)
      }
      disconnect = vi.fn()
    }
    vi.stubGlobal('PerformanceObserver', FakeObserver)
    const { client } = fakeClient()
    const view = renderWith(client, <BatonDevtoolsPanel initialIsOpen />)
    expect(observed).toEqual([
      { type: 'navigation', buffered: true },
      { type: 'resource', buffered: true },
    ])
    const entry = {
      name: `${location.origin}/dashboard`,
      startTime: 0,
      responseEnd: 20,
      serverTiming: [{ name: 'baton', duration: 2, description: 'verified:valid' }],
    }
    act(() => deliver([entry, { name: `${location.origin}/logo.png`, startTime: 3, serverTiming: [] }]))
    act(() => deliver([entry])) // the same entry again (a re-mounted observer): listed once
    const items = within(proxySection()).getAllByRole('listitem')
    expect(items).toHaveLength(1)
    expect(items[0]?.textContent).toMatch(/proxy verified \(valid\) \/dashboard, 2 ms$/)
    const chart = screen.getAllByRole('img')[0] as HTMLElement
    expect([...chart.querySelectorAll('text')].map((t) => t.textContent)).toContain('proxy')
    expect(chart.querySelector('[data-mark="proxy"]')).not.toBeNull()
    view.unmount()
  })
})
