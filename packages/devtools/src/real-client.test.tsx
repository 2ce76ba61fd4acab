import { BatonProvider, createAuthClient } from '@baton/react'
import { act, cleanup, render, screen, waitFor, within } from '@testing-library/react'
import { afterEach, beforeEach, expect, it, vi } from 'vitest'
import { fakeServer } from '../../core/src/client/fake-server.fixture.js'
import { BatonDevtoolsPanel } from './panel.js'

// The panel on @baton/core's real session client (the auth routes stood in for by core's fake server).

const devicesFetch = vi.fn(async (_url: string | URL | Request) => Response.json({ sessions: [] }))

beforeEach(() => {
  sessionStorage.clear()
  vi.stubGlobal('fetch', devicesFetch)
})

afterEach(() => {
  cleanup()
  devicesFetch.mockClear()
  vi.unstubAllGlobals()
})

const list = () => within(screen.getByRole('heading', { name: 'Refreshes across tabs' }).parentElement as HTMLElement)

it("shows the real client's refresh and sign-out, sends none of the client's requests, never shows its token", async () => {
  const server = fakeServer({ signedIn: true })
  const client = createAuthClient({ fetch: server.fetchFor('a'), crossTab: false })
  render(
    <BatonProvider client={client}>
      <BatonDevtoolsPanel initialIsOpen />
    </BatonProvider>,
  )
  await waitFor(() => expect(client.getState().status).toBe('authenticated'))
  expect(screen.getByText('The access token is not a JWT.')).toBeTruthy()

  await act(() => client.refresh())
  await waitFor(() =>
    expect(list().getAllByRole('listitem')[0]?.textContent).toMatch(
      /this tab refreshed · the app called refresh\(\) · \d+ ms · ok · lock: no Web Locks$/,
    ),
  )

  server.script('POST /refresh', {
    status: 401,
    body: { error: { code: 'ERR_SESSION_REVOKED', message: 'The session was revoked.' } },
  })
  await act(() => client.refresh().catch(() => null))
  await waitFor(() =>
    expect(screen.getByRole('status').textContent).toMatch(
      /this tab: Signed out: the session was revoked from another device\.$/,
    ),
  )
  expect(list().getAllByRole('listitem')[1]?.textContent).toMatch(/refresh-failed · .* · failed: ERR_SESSION_REVOKED/)

  // The client's own requests only: the panel sent its device list request to the page's fetch, nothing to the client's.
  expect(server.calls.map((c) => c.route)).toEqual(['GET /session', 'POST /refresh', 'POST /refresh'])
  expect(devicesFetch.mock.calls.map((c) => String(c[0]))).toEqual(['/api/auth/sessions'])
  for (const token of ['at_1', 'at_2']) expect(document.body.innerHTML).not.toContain(token)
})
