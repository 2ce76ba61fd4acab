import { type ClientSession, createAuthClient } from '@baton/core/client'
import { act, cleanup, render, screen } from '@testing-library/react'
import { type ReactNode, StrictMode } from 'react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { BatonProvider, type BatonProviderProps, useSession } from './index.js'
import { type FakeServer, fakeServer, PASSWORD, rendered, Show, serverSession, USER } from './test-kit.fixture.js'

// The provider follows the session the server renders it with: a layout re-rendered after a
// server action (sign-in, sign-out) or `router.refresh()` passes a new `initialSession`.

const MIN = 60_000
const HOUR = 60 * MIN
const text = () => screen.getByTestId('session').textContent
const signedIn = (accessToken: string): ClientSession => ({ ...serverSession(Date.now() + 15 * MIN), accessToken })

/** The app's layout: a server component that renders the provider with what `baton.session()` returned. */
function Layout({ children, ...props }: BatonProviderProps & { children?: ReactNode }) {
  return <BatonProvider {...props}>{children ?? <Show />}</BatonProvider>
}

beforeEach(() => {
  rendered.length = 0
  vi.useFakeTimers({
    now: 1_700_000_000_000,
    toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'],
  })
})

afterEach(() => {
  cleanup()
  vi.useRealTimers()
  vi.restoreAllMocks()
})

const options = (server: FakeServer) => ({ fetch: server.fetchFor('a'), crossTab: false })

describe.each([
  ['options', (server: FakeServer) => options(server)],
  ['a client made without a session', (server: FakeServer) => ({ client: createAuthClient(options(server)) })],
])('with %s', (_, props) => {
  it('signed in by a server action: the re-rendered session is used at once, its token without a request', async () => {
    const server = fakeServer({ signedIn: true })
    const p = props(server)
    const view = render(<Layout {...p} initialSession={null} />, { wrapper: StrictMode })
    await act(() => vi.advanceTimersByTimeAsync(HOUR))
    expect(text()).toBe('unauthenticated|||')
    expect(server.calls).toEqual([])

    const session = signedIn('at_server')
    view.rerender(<Layout {...p} initialSession={session} />)
    await act(() => vi.advanceTimersByTimeAsync(0))
    expect(text()).toBe(`authenticated|${USER.email}|${session.accessTokenExpiresAt}|`)
    let token: string | null = null
    function Token() {
      const { getAccessToken } = useSession()
      token = null
      void getAccessToken().then((t) => {
        token = t
      })
      return null
    }
    view.rerender(
      <Layout {...p} initialSession={{ ...session }}>
        <Token />
      </Layout>,
    )
    await act(() => vi.advanceTimersByTimeAsync(0))
    expect(token).toBe('at_server')
    expect(server.calls).toEqual([])
  })

  it('signed out by a server action: the re-rendered null signs out, with no request', async () => {
    const server = fakeServer({ signedIn: true })
    const p = props(server)
    const view = render(<Layout {...p} initialSession={signedIn('at_0')} />)
    await act(() => vi.advanceTimersByTimeAsync(0))
    expect(text()).toMatch(/^authenticated\|demo@baton\.dev/)
    view.rerender(<Layout {...p} initialSession={null} />)
    await act(() => vi.advanceTimersByTimeAsync(HOUR))
    expect(text()).toBe('unauthenticated|||')
    expect(server.calls).toEqual([])
  })

  it('a re-render with the same session (a new object) leaves a client-side sign-out alone', async () => {
    const server = fakeServer({ signedIn: true })
    const p = props(server)
    const session = signedIn('at_0')
    let signOut = async () => {}
    function Out() {
      signOut = useSession().signOut
      return <Show />
    }
    const view = render(
      <Layout {...p} initialSession={session}>
        <Out />
      </Layout>,
    )
    await act(() => signOut())
    view.rerender(
      <Layout {...p} initialSession={{ ...session }}>
        <Out />
      </Layout>,
    )
    await act(() => vi.advanceTimersByTimeAsync(0))
    expect(text()).toBe('unauthenticated|||')
  })
})

describe('a client passed with initialSession', () => {
  it('null on load (an anonymous page): no GET /session and no POST /refresh, however long the page stays', async () => {
    const server = fakeServer()
    const client = createAuthClient(options(server))
    render(<Layout client={client} initialSession={null} />, { wrapper: StrictMode })
    await act(() => vi.advanceTimersByTimeAsync(0))
    expect(text()).toBe('unauthenticated|||')
    await act(() => vi.advanceTimersByTimeAsync(6 * HOUR))
    window.dispatchEvent(new Event('focus'))
    await act(() => vi.advanceTimersByTimeAsync(0))
    expect(server.calls).toEqual([])
    // A sign-in later still works.
    await act(() => client.signIn({ email: USER.email, password: PASSWORD }))
    expect(text()).toMatch(/^authenticated\|demo@baton\.dev/)
  })

  it('a session on load: signed in with it, no request', async () => {
    const server = fakeServer({ signedIn: true })
    const client = createAuthClient(options(server))
    render(<Layout client={client} initialSession={signedIn('at_0')} />)
    await act(() => vi.advanceTimersByTimeAsync(0))
    expect(text()).toMatch(/^authenticated\|demo@baton\.dev/)
    expect(await client.getAccessToken()).toBe('at_0')
    expect(server.calls).toEqual([])
  })

  it("the types refuse the client's options next to a client (they would be ignored)", () => {
    const client = createAuthClient({ crossTab: false })
    const props: BatonProviderProps[] = [
      { client, initialSession: null },
      { basePath: '/auth', initialSession: null },
      // @ts-expect-error: a client's options are those it was made with
      { client, basePath: '/auth' },
      // @ts-expect-error: a client's options are those it was made with
      { client, fetch },
    ]
    expect(props).toHaveLength(4)
  })
})
