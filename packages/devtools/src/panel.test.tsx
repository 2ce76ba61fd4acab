import { act, cleanup, fireEvent, screen, within } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { fakeClient, makeToken, REFRESH_LIKE, renderWith } from './devtools.fixture.js'
import { BatonDevtoolsPanel } from './panel.js'

const toggle = () => screen.getByRole('button', { name: 'Baton' })
const dialog = () => screen.getByRole('dialog', { name: 'Baton devtools' })
const fetchSpy = vi.fn(async () => Response.json({ sessions: [] }))

beforeEach(() => {
  sessionStorage.clear()
  vi.stubGlobal('fetch', fetchSpy)
})

afterEach(() => {
  cleanup()
  fetchSpy.mockClear()
  vi.unstubAllGlobals()
})

describe('toggle and panel', () => {
  it('closed: only the toggle, collapsed, pointing at the hidden panel; no request', () => {
    const { client } = fakeClient()
    renderWith(client, <BatonDevtoolsPanel />)
    expect(toggle().getAttribute('aria-expanded')).toBe('false')
    const panel = document.getElementById(toggle().getAttribute('aria-controls') ?? '')
    expect(panel?.getAttribute('role')).toBe('dialog')
    expect(panel?.hidden).toBe(true)
    expect(panel?.childElementCount).toBe(0)
    expect(screen.queryByRole('dialog')).toBeNull()
    expect(fetchSpy).not.toHaveBeenCalled()
  })

  it('the toggle opens it and moves focus in; Escape closes it and gives focus back to the toggle', () => {
    const { client } = fakeClient()
    renderWith(client, <BatonDevtoolsPanel />)
    toggle().focus()
    expect(document.activeElement).toBe(toggle())
    // Enter or Space on a focused <button> is a click (the browser's activation behaviour).
    fireEvent.click(toggle())
    expect(toggle().getAttribute('aria-expanded')).toBe('true')
    expect(dialog().getAttribute('aria-modal')).toBe('false')
    expect(document.activeElement).toBe(dialog())

    const reload = within(dialog()).getByRole('button', { name: 'Reload devices' })
    reload.focus()
    fireEvent.keyDown(reload, { key: 'Escape' })
    expect(screen.queryByRole('dialog')).toBeNull()
    expect(toggle().getAttribute('aria-expanded')).toBe('false')
    expect(document.activeElement).toBe(toggle())
  })

  it('the close button closes it too; initialIsOpen opens it without taking focus', () => {
    const { client } = fakeClient()
    renderWith(client, <BatonDevtoolsPanel initialIsOpen />)
    expect(dialog()).toBeTruthy()
    expect(document.activeElement).toBe(document.body)
    fireEvent.click(screen.getByRole('button', { name: 'Close Baton devtools' }))
    expect(screen.queryByRole('dialog')).toBeNull()
    expect(document.activeElement).toBe(toggle())
  })

  it('position puts the root in that corner', () => {
    const { client } = fakeClient()
    const { container } = renderWith(client, <BatonDevtoolsPanel position="top-left" />)
    const root = container.querySelector<HTMLElement>('[data-baton-devtools]')
    expect(root?.style.top).toBe('12px')
    expect(root?.style.left).toBe('12px')
    expect(root?.style.bottom).toBe('')
  })
})

describe('what it shows', () => {
  it('claims, alg and kid from the in-memory token; never the token or a refresh token', () => {
    const exp = Math.floor(Date.now() / 1000) + 300
    const token = makeToken({ sub: 'user-1', sid: 'sess-1', email: 'zoë@baton.dev', roles: ['admin'], exp })
    const { client } = fakeClient({ token })
    // A careless client could carry a refresh token anywhere; the panel must not echo it.
    Object.assign(client.getState(), { refreshToken: REFRESH_LIKE })
    // biome-ignore lint/suspicious/noDocumentCookie: sets up the cookie the panel reads
    document.cookie = `baton.rt=${REFRESH_LIKE}; Path=/`
    renderWith(client, <BatonDevtoolsPanel initialIsOpen />)

    const claims = within(dialog()).getByRole('heading', { name: 'Access token' }).parentElement as HTMLElement
    const text = claims.textContent ?? ''
    for (const part of [
      'alg (header)EdDSA',
      'kid (header)key-2026',
      'subuser-1',
      'sidsess-1',
      'emailzoë@baton.dev',
      'roles["admin"]',
    ])
      expect(text).toContain(part)
    expect(text).toContain(`exp${exp} (`)
    const html = document.body.innerHTML
    expect(html).not.toContain(token)
    for (const segment of token.split('.')) expect(html).not.toContain(segment)
    expect(html).not.toContain(REFRESH_LIKE)
    // biome-ignore lint/suspicious/noDocumentCookie: sets up the cookie the panel reads
    document.cookie = 'baton.rt=; Max-Age=0; Path=/'
  })

  it('the countdown is not a live region; the access token expiry counts down', () => {
    const { client } = fakeClient()
    renderWith(client, <BatonDevtoolsPanel initialIsOpen />)
    const countdown = document.querySelector('[data-countdown]') as HTMLElement
    expect(countdown.textContent).toMatch(/, in (299|300) s$/)
    expect(countdown.closest('[aria-live],[role="status"],[role="alert"]')).toBeNull()
  })

  it('a refresh of this tab: in the list, and a mark in the SVG with a text summary', () => {
    const fake = fakeClient()
    renderWith(fake.client, <BatonDevtoolsPanel initialIsOpen />)
    act(() => fake.emit({ type: 'refreshed', cause: 'timer', duration: 120, lock: 'held' }))
    act(() => fake.emit({ type: 'refresh-failed', cause: 'focus', duration: 40, code: 'ERR_NETWORK', lock: 'none' }))

    const list = within(dialog()).getByRole('heading', { name: 'Refreshes across tabs' }).parentElement as HTMLElement
    const items = within(list)
      .getAllByRole('listitem')
      .map((li) => li.textContent)
    expect(items[1]).toMatch(/this tab refreshed · timer, before expiry · 120 ms · ok · lock: held the lock$/)
    expect(items[0]).toMatch(
      /this tab refresh-failed · window focus · 40 ms · failed: ERR_NETWORK · lock: no Web Locks$/,
    )

    const chart = within(list).getByRole('img')
    expect(chart.tagName.toLowerCase()).toBe('svg')
    expect(chart.getAttribute('aria-label')).toMatch(
      /^Timeline of 1 tab: 1 refreshes or sign-ins, 1 failed, 0 sign-outs/,
    )
    expect(chart.querySelector('[data-type="refreshed"] circle')).not.toBeNull()
    expect(chart.querySelector('[data-type="refresh-failed"] rect')).not.toBeNull()
    expect(chart.querySelector('[data-type="refreshed"] title')?.textContent).toContain('timer, before expiry')
  })

  it('a sign-out: announced in a status region with the reason; it survives a reload of the page', () => {
    const fake = fakeClient()
    const first = renderWith(fake.client, <BatonDevtoolsPanel initialIsOpen />)
    expect(screen.getByRole('status').textContent).toBe('Last sign-out: None yet.')
    act(() => fake.emit({ type: 'signed-out', code: 'ERR_SESSION_REVOKED' }))
    expect(screen.getByRole('status').textContent).toMatch(
      /^Last sign-out: \d\d:\d\d:\d\d, this tab: Signed out: the session was revoked from another device\.$/,
    )
    first.unmount()

    // The navigation after a sign-out: a new page, a new panel, the same tab's sessionStorage.
    const next = fakeClient({
      state: { status: 'unauthenticated', user: null, session: null, expiresAt: null, error: null },
    })
    renderWith(next.client, <BatonDevtoolsPanel initialIsOpen />)
    // Still "this tab": the identity lives in the tab's sessionStorage, not in the page.
    expect(screen.getByRole('status').textContent).toMatch(/, this tab: Signed out: the session was revoked/)
    expect(document.querySelector('svg [data-type="signed-out"] path')).not.toBeNull()
  })

  it('only listens: no client action is called, and its event listener is removed on unmount', () => {
    const fake = fakeClient({ token: makeToken({ sub: 'u' }) })
    const view = renderWith(fake.client, <BatonDevtoolsPanel initialIsOpen />)
    act(() => fake.emit({ type: 'refreshed', cause: 'call', duration: 10, lock: 'held' }))
    fireEvent.click(toggle())
    fireEvent.click(toggle())
    expect(fake.listenerCount()).toBe(1)
    view.unmount()
    expect(fake.listenerCount()).toBe(0)
    for (const action of Object.values(fake.actions)) expect(action).not.toHaveBeenCalled()
  })
})
