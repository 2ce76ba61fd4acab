import { act, cleanup, render, screen } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { type AuthNavigation, BatonProvider, useAuthNavigation, useSession } from './index.js'
import { fakeServer, PASSWORD, Show, serverSession, USER } from './test-kit.fixture.js'

afterEach(() => {
  cleanup()
  vi.restoreAllMocks()
})

/** Renders the hook under a provider; `nav()` is the latest result, `went` every href it left for. */
function setup({ signedIn = false, navigate }: { signedIn?: boolean; navigate?: (href: string) => void } = {}) {
  const server = fakeServer({ signedIn })
  const went: string[] = []
  const results: AuthNavigation[] = []
  function Probe() {
    results.push(useAuthNavigation({ navigate: navigate ?? ((href) => went.push(href)) }))
    useSession() // re-render on every session change
    return null
  }
  render(
    <BatonProvider
      fetch={server.fetchFor('a')}
      crossTab={false}
      initialSession={signedIn ? serverSession(Date.now() + 900_000) : null}
    >
      <Probe />
      <Show />
    </BatonProvider>,
  )
  const nav = () => results[results.length - 1] as AuthNavigation
  return { server, went, results, nav }
}

describe('useAuthNavigation', () => {
  it('signIn signs in, then leaves for redirectTo — only once the session is there', async () => {
    const { server, went, nav } = setup()
    const state = await act(() => nav().signIn({ email: USER.email, password: PASSWORD }, { redirectTo: '/dashboard' }))
    expect(state.status).toBe('authenticated')
    expect(screen.getByTestId('session').textContent).toMatch(/^authenticated\|demo@baton\.dev/)
    expect(server.calls.map((c) => c.route)).toEqual(['POST /login'])
    expect(went).toEqual(['/dashboard'])
  })

  it('a refused signIn rejects, keeps the error, and stays on the page', async () => {
    const { went, nav } = setup()
    await expect(
      act(() => nav().signIn({ email: USER.email, password: 'wrong' }, { redirectTo: '/dashboard' })),
    ).rejects.toMatchObject({ code: 'ERR_INVALID_CREDENTIALS' })
    expect(screen.getByTestId('session').textContent).toBe('unauthenticated|||ERR_INVALID_CREDENTIALS')
    expect(went).toEqual([])
  })

  it('signOut signs out (everywhere when asked), then leaves for redirectTo', async () => {
    const { server, went, nav } = setup({ signedIn: true })
    await act(() => nav().signOut({ redirectTo: '/login', everywhere: true }))
    expect(screen.getByTestId('session').textContent).toBe('unauthenticated|||')
    expect(server.calls.map((c) => [c.route, c.body])).toEqual([['POST /logout', { everywhere: true }]])
    expect(went).toEqual(['/login'])
  })

  it('leaves only for its own origin: another origin or a javascript: URL becomes /', async () => {
    const { went, nav } = setup()
    nav().leave('/login?next=%2Fdevices#top')
    nav().leave(`${location.origin}/devices`)
    nav().leave('https://evil.example/login')
    nav().leave('//evil.example/login')
    nav().leave('javascript:alert(1)')
    expect(went).toEqual(['/login?next=%2Fdevices#top', '/devices', '/', '/', '/'])
  })

  it('by default, a full page load that replaces the history entry (location.replace); signIn/signOut’s destination wins', async () => {
    const replace = vi.fn()
    vi.spyOn(window, 'location', 'get').mockReturnValue({
      ...window.location,
      replace,
      href: location.href,
      origin: location.origin,
    })
    const server = fakeServer()
    let nav: AuthNavigation | undefined
    function Probe() {
      nav = useAuthNavigation()
      return null
    }
    render(
      <BatonProvider fetch={server.fetchFor('a')} crossTab={false} initialSession={null}>
        <Probe />
      </BatonProvider>,
    )
    await act(() => nav!.signIn({ email: USER.email, password: PASSWORD }, { redirectTo: '/dashboard' }))
    expect(replace.mock.calls).toEqual([['/dashboard']])
    // A guard reacting to the same change while the page is already leaving: ignored.
    nav!.leave('/login?error=signed_out')
    expect(replace.mock.calls).toEqual([['/dashboard']])
    // A guard that reacted first (its effect ran inside signOut): signOut's destination still wins.
    await act(() => nav!.signOut({ redirectTo: '/login' }))
    expect(replace.mock.calls).toEqual([['/dashboard'], ['/login']])
  })

  it('its functions are stable across renders while navigate is', async () => {
    const went: string[] = []
    const { results, nav } = setup({ navigate: (href) => went.push(href) })
    await act(() => nav().signIn({ email: USER.email, password: PASSWORD }, { redirectTo: '/a' }))
    expect(results.length).toBeGreaterThan(1)
    expect(new Set(results.map((r) => r.signIn)).size).toBe(1)
    expect(new Set(results.map((r) => r.leave)).size).toBe(1)
    expect(went).toEqual(['/a'])
  })
})
