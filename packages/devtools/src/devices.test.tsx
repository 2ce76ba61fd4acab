import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react'
import { afterEach, beforeEach, expect, it, vi } from 'vitest'
import { fakeClient, renderWith } from './devtools.fixture.js'
import { BatonDevtoolsPanel } from './panel.js'

const session = (id: string, current: boolean, userAgent: string | null) => ({
  id,
  createdAt: Date.now() - 3_600_000,
  lastUsedAt: Date.now() - 60_000,
  expiresAt: Date.now() + 86_400_000,
  absoluteExpiresAt: Date.now() + 30 * 86_400_000,
  userAgent,
  ip: current ? '127.0.0.1' : '203.0.113.7',
  deviceId: null,
  current,
})

let sessions = [
  session('sess-here', true, 'Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/128.0'),
  session('sess-phone', false, 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Safari/604.1'),
]
const fetchSpy = vi.fn(async (url: string | URL | Request, init?: RequestInit) => {
  const path = String(url)
  if (init?.method === 'DELETE') {
    const id = decodeURIComponent(path.split('/').at(-1) ?? '')
    if (!sessions.some((s) => s.id === id))
      return Response.json({ error: { code: 'ERR_NOT_FOUND', message: 'No such session.' } }, { status: 404 })
    sessions = sessions.filter((s) => s.id !== id)
    return Response.json({ ok: true, current: false })
  }
  return Response.json({ sessions })
})

const devices = () => screen.getByRole('heading', { name: 'Devices' }).parentElement as HTMLElement

beforeEach(() => {
  sessionStorage.clear()
  vi.stubGlobal('fetch', fetchSpy)
})

afterEach(() => {
  cleanup()
  fetchSpy.mockClear()
  vi.unstubAllGlobals()
})

it('lists the sessions when opened, this one marked and without Revoke; Revoke sends DELETE to its URL, then reloads', async () => {
  const { client, actions } = fakeClient()
  renderWith(client, <BatonDevtoolsPanel initialIsOpen basePath="/auth" />)
  await waitFor(() => expect(within(devices()).getAllByRole('listitem')).toHaveLength(2))
  expect(fetchSpy.mock.calls[0]).toEqual([
    '/auth/sessions',
    { credentials: 'same-origin', headers: { accept: 'application/json' } },
  ])
  const [here, phone] = within(devices()).getAllByRole('listitem')
  expect(here?.textContent).toMatch(/^Firefox\/128\.0 on X11 \(this device\) · 127\.0\.0\.1 · used /)
  expect(within(here as HTMLElement).queryByRole('button')).toBeNull()
  expect(phone?.textContent).toMatch(/^Safari\/604\.1 on iPhone · 203\.0\.113\.7/)

  fireEvent.click(
    within(phone as HTMLElement).getByRole('button', { name: /^Revoke Safari\/604\.1 on iPhone, session sess-phone$/ }),
  )
  await waitFor(() => expect(within(devices()).getAllByRole('listitem')).toHaveLength(1))
  expect(fetchSpy.mock.calls.slice(1)).toEqual([
    [
      '/auth/sessions/sess-phone',
      { credentials: 'same-origin', headers: { accept: 'application/json' }, method: 'DELETE' },
    ],
    ['/auth/sessions', { credentials: 'same-origin', headers: { accept: 'application/json' } }],
  ])
  for (const action of Object.values(actions)) expect(action).not.toHaveBeenCalled()
})

it("the server's refusal is shown with its code; Reload devices asks again", async () => {
  fetchSpy.mockImplementationOnce(async () =>
    Response.json(
      { error: { code: 'ERR_ACCESS_TOKEN_EXPIRED', message: 'The access token expired.' } },
      { status: 401 },
    ),
  )
  const { client } = fakeClient()
  renderWith(client, <BatonDevtoolsPanel initialIsOpen />)
  await waitFor(() =>
    expect(within(devices()).getByRole('alert').textContent).toBe(
      'Devices: ERR_ACCESS_TOKEN_EXPIRED: The access token expired.',
    ),
  )
  expect(fetchSpy.mock.calls[0]?.[0]).toBe('/api/auth/sessions')
  fireEvent.click(within(devices()).getByRole('button', { name: 'Reload devices' }))
  await waitFor(() => expect(within(devices()).queryByRole('alert')).toBeNull())
  expect(within(devices()).getAllByRole('listitem')).toHaveLength(sessions.length)
  expect(fetchSpy).toHaveBeenCalledTimes(2)
})
