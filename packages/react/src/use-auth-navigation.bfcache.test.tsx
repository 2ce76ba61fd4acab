import { act, cleanup, render } from '@testing-library/react'
import { afterEach, expect, it, vi } from 'vitest'
import { type AuthNavigation, BatonProvider, useAuthNavigation } from './index.js'
import { fakeServer, serverSession } from './test-kit.fixture.js'

// Its own file, so its window has no `pageshow` listener left by another test.

afterEach(() => {
  cleanup()
  vi.restoreAllMocks()
})

it('a page it left, restored from the back/forward cache, loads afresh; a page that never left does not', async () => {
  const reload = vi.fn()
  vi.spyOn(window, 'location', 'get').mockReturnValue({
    ...window.location,
    reload,
    href: location.href,
    origin: location.origin,
  })
  const server = fakeServer({ signedIn: true })
  let nav: AuthNavigation | undefined
  function Probe() {
    nav = useAuthNavigation({ navigate: () => undefined })
    return null
  }
  render(
    <BatonProvider fetch={server.fetchFor('a')} crossTab={false} initialSession={serverSession(Date.now() + 900_000)}>
      <Probe />
    </BatonProvider>,
  )
  const pageshow = (persisted: boolean) => dispatchEvent(Object.assign(new Event('pageshow'), { persisted }))
  pageshow(true)
  expect(reload).not.toHaveBeenCalled()
  await act(() => nav!.signOut({ redirectTo: '/login' }))
  pageshow(false)
  expect(reload).not.toHaveBeenCalled()
  pageshow(true)
  expect(reload).toHaveBeenCalledTimes(1)
})
