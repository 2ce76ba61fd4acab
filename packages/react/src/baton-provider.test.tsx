import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { type AuthClient, BatonError, createAuthClient } from '@baton/core/client'
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react'
import { memo, StrictMode, useState } from 'react'
import { hydrateRoot } from 'react-dom/client'
import { renderToString } from 'react-dom/server'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { BatonProvider, useBaton, useSession } from './index.js'
import { fakeServer, PASSWORD, rendered, Show, serverSession, USER } from './test-kit.fixture.js'

const MIN = 60_000
const text = (id = 'session') => screen.getByTestId(id).textContent
const tick = (ms = 20) => act(() => new Promise((resolve) => setTimeout(resolve, ms)))

beforeEach(() => {
  rendered.length = 0
})

afterEach(() => {
  cleanup()
  vi.useRealTimers()
  vi.restoreAllMocks()
})

describe('status on first paint and after', () => {
  it('no initialSession: loading, then authenticated after GET /session 200', async () => {
    const server = fakeServer({ signedIn: true })
    render(
      <BatonProvider fetch={server.fetchFor('a')}>
        <Show />
      </BatonProvider>,
    )
    expect(rendered[0]).toBe('loading')
    await waitFor(() => expect(text()).toMatch(/^authenticated\|demo@baton\.dev\|\d+\|$/))
    expect(server.calls.map((c) => c.route)).toEqual(['GET /session'])
  })

  it('GET /session 401 → POST /refresh 200 → authenticated', async () => {
    const server = fakeServer({ signedIn: true })
    server.accessCookie = false
    render(
      <BatonProvider fetch={server.fetchFor('a')}>
        <Show />
      </BatonProvider>,
    )
    await waitFor(() => expect(text()).toMatch(/^authenticated\|demo@baton\.dev/))
    expect(server.calls.map((c) => c.route)).toEqual(['GET /session', 'POST /refresh'])
  })

  it('GET /session 401 + POST /refresh 401 (a stale cookie) → unauthenticated, without an error', async () => {
    const server = fakeServer({ staleCookie: true })
    render(
      <BatonProvider fetch={server.fetchFor('a')}>
        <Show />
      </BatonProvider>,
    )
    await waitFor(() => expect(text()).toBe('unauthenticated|||'))
    expect(rendered).toEqual(['loading', 'unauthenticated'])
    expect(server.calls.map((c) => c.route)).toEqual(['GET /session', 'POST /refresh'])
  })

  it('a visitor without cookies (a SPA): GET /session says so, and no refresh is sent', async () => {
    const server = fakeServer()
    render(
      <BatonProvider fetch={server.fetchFor('a')}>
        <Show />
      </BatonProvider>,
    )
    await waitFor(() => expect(text()).toBe('unauthenticated|||'))
    expect(rendered).toEqual(['loading', 'unauthenticated'])
    await tick()
    expect(server.calls.map((c) => c.route)).toEqual(['GET /session'])
  })

  it('initialSession null: unauthenticated on first render, and no request', async () => {
    const server = fakeServer({ signedIn: true })
    render(
      <BatonProvider fetch={server.fetchFor('a')} initialSession={null}>
        <Show />
      </BatonProvider>,
    )
    expect(rendered).toEqual(['unauthenticated'])
    await tick()
    expect(server.calls).toEqual([])
  })

  it('initialSession from the server: authenticated on the very first render, no loading flash, no request at all', async () => {
    const server = fakeServer({ signedIn: true })
    const expiresAt = Date.now() + 15 * MIN
    render(
      <BatonProvider fetch={server.fetchFor('a')} initialSession={serverSession(expiresAt)}>
        <Show />
      </BatonProvider>,
    )
    expect(rendered).toEqual(['authenticated'])
    expect(text()).toBe(`authenticated|demo@baton.dev|${expiresAt}|`)
    await tick(50)
    expect(rendered.every((s) => s === 'authenticated')).toBe(true)
    expect(server.calls).toEqual([])
  })

  it('StrictMode (mount, unmount, mount) still sends one GET /session', async () => {
    const server = fakeServer({ signedIn: true })
    render(
      <StrictMode>
        <BatonProvider fetch={server.fetchFor('a')}>
          <Show />
        </BatonProvider>
      </StrictMode>,
    )
    await waitFor(() => expect(text()).toMatch(/^authenticated/))
    await tick()
    expect(server.calls.map((c) => c.route)).toEqual(['GET /session'])
  })
})

describe('server rendering and hydration', () => {
  it('hydrates the server HTML without a mismatch and without a request', async () => {
    const server = fakeServer({ signedIn: true })
    const expiresAt = Date.now() + 15 * MIN
    const app = (
      <BatonProvider fetch={server.fetchFor('a')} initialSession={serverSession(expiresAt)}>
        <Show />
      </BatonProvider>
    )
    const container = document.createElement('div')
    container.innerHTML = renderToString(app)
    document.body.append(container)
    expect(container.textContent).toBe(`authenticated|demo@baton.dev|${expiresAt}|`)
    const errors = vi.spyOn(console, 'error')
    const recoverable: unknown[] = []
    const root = await act(async () => hydrateRoot(container, app, { onRecoverableError: (e) => recoverable.push(e) }))
    await tick()
    expect(recoverable).toEqual([])
    expect(errors).not.toHaveBeenCalled()
    expect(container.textContent).toBe(`authenticated|demo@baton.dev|${expiresAt}|`)
    expect(server.calls).toEqual([])
    act(() => root.unmount())
    container.remove()
  })
})

describe('useSession actions', () => {
  function SignInForm({ password = PASSWORD }: { password?: string }) {
    const { signIn, signOut, status } = useSession()
    const [failure, setFailure] = useState('')
    return (
      <>
        <button
          type="button"
          onClick={() =>
            signIn({ email: USER.email, password }).catch((e: unknown) =>
              setFailure(e instanceof BatonError ? `BatonError ${e.code}` : String(e)),
            )
          }
        >
          sign in
        </button>
        <button type="button" onClick={() => signOut()}>
          sign out
        </button>
        <output data-testid="failure">{failure}</output>
        <span>{status}</span>
      </>
    )
  }

  it('signIn updates every consumer; signOut signs out', async () => {
    const server = fakeServer()
    render(
      <BatonProvider fetch={server.fetchFor('a')} initialSession={null}>
        <Show />
        <SignInForm />
      </BatonProvider>,
    )
    fireEvent.click(screen.getByText('sign in'))
    await waitFor(() => expect(text()).toMatch(/^authenticated\|demo@baton\.dev\|\d+\|$/))
    fireEvent.click(screen.getByText('sign out'))
    await waitFor(() => expect(text()).toBe('unauthenticated|||'))
    expect(server.calls.map((c) => c.route)).toEqual(['POST /login', 'POST /logout'])
  })

  it.each([
    [401, 'ERR_INVALID_CREDENTIALS', 'The email or password is incorrect.'],
    [429, 'ERR_RATE_LIMITED', 'Too many attempts. Try again in 60 s.'],
  ] as const)(
    'a failed sign-in (%i) shows the server code in `error` and rejects with a BatonError',
    async (status, code, message) => {
      const server = fakeServer()
      if (status !== 401) server.script('POST /login', { status, body: { error: { code, message } } })
      let latest: ReturnType<typeof useSession> | undefined
      function Spy() {
        latest = useSession()
        return null
      }
      render(
        <BatonProvider fetch={server.fetchFor('a')} initialSession={null}>
          <Show />
          <Spy />
          <SignInForm password={status === 401 ? 'wrong' : PASSWORD} />
        </BatonProvider>,
      )
      fireEvent.click(screen.getByText('sign in'))
      await waitFor(() => expect(screen.getByTestId('failure').textContent).toBe(`BatonError ${code}`))
      expect(text()).toBe(`unauthenticated|||${code}`)
      expect(latest?.error).toEqual({ code, message, status })
    },
  )

  it('getAccessToken returns the in-memory token; with a server-passed session it fetches GET /session once', async () => {
    const server = fakeServer({ signedIn: true })
    let session: ReturnType<typeof useSession> | undefined
    function Spy() {
      session = useSession()
      return null
    }
    render(
      <BatonProvider fetch={server.fetchFor('a')} initialSession={serverSession(Date.now() + 15 * MIN)}>
        <Spy />
      </BatonProvider>,
    )
    const tokens = await act(() => Promise.all(Array.from({ length: 5 }, () => session!.getAccessToken())))
    expect(new Set(tokens)).toEqual(new Set([server.lastToken()]))
    expect(await act(() => session!.getAccessToken())).toBe(server.lastToken())
    expect(server.calls.map((c) => c.route)).toEqual(['GET /session'])
  })

  it('refresh() updates expiresAt for every consumer', async () => {
    const server = fakeServer({ signedIn: true })
    let session: ReturnType<typeof useSession> | undefined
    function Spy() {
      session = useSession()
      return null
    }
    const first = Date.now() + 5 * MIN
    render(
      <BatonProvider fetch={server.fetchFor('a')} initialSession={{ ...serverSession(first), accessToken: 'at_0' }}>
        <Spy />
        <Show />
      </BatonProvider>,
    )
    expect(await act(() => session!.refresh())).toBe('at_1')
    expect(text()).not.toContain(String(first))
    expect(session?.expiresAt).toBeGreaterThan(first)
  })

  it('actions are stable across renders, and consumers re-render only when the session changes', async () => {
    const server = fakeServer()
    const seen = new Set<unknown>()
    let renders = 0
    const Consumer = memo(function Consumer() {
      const s = useSession()
      renders++
      seen.add(s.signIn).add(s.signOut).add(s.refresh).add(s.getAccessToken)
      return null
    })
    let bump = () => {}
    function Parent() {
      const [n, setN] = useState(0)
      bump = () => setN(n + 1)
      return (
        <BatonProvider fetch={server.fetchFor('a')} initialSession={null}>
          <span>{n}</span>
          <Consumer />
        </BatonProvider>
      )
    }
    render(<Parent />)
    act(() => bump())
    act(() => bump())
    expect(renders).toBe(1)
    const client = { current: undefined as AuthClient | undefined }
    function Grab() {
      client.current = useBaton()
      return null
    }
    cleanup()
    render(
      <BatonProvider fetch={server.fetchFor('a')} initialSession={null}>
        <Grab />
        <Consumer />
      </BatonProvider>,
    )
    renders = 0
    await act(() => client.current!.signIn({ email: USER.email, password: PASSWORD }))
    expect(renders).toBe(1)
    expect(seen.size).toBe(8) // two clients × four actions, each stable for its client
  })

  it('useSession outside a provider throws a clear error', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {})
    expect(() => render(<Show />)).toThrow(
      expect.objectContaining({
        code: 'ERR_CONFIG',
        message: 'Wrap the app in <BatonProvider>.',
      }),
    )
  })
})

describe('timers in React (fake clock)', () => {
  beforeEach(() => {
    vi.useFakeTimers({
      now: 1_700_000_000_000,
      toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'],
    })
  })

  it('refreshes shortly before expiry and re-renders with the new expiry; stops after unmount', async () => {
    const server = fakeServer({ signedIn: true })
    const t0 = Date.now()
    const { unmount } = render(
      <BatonProvider
        fetch={server.fetchFor('a')}
        initialSession={{ ...serverSession(t0 + 15 * MIN), accessToken: 'at_0' }}
      >
        <Show />
      </BatonProvider>,
    )
    await act(() => vi.advanceTimersByTimeAsync(14.5 * MIN - 1))
    expect(server.calls).toEqual([])
    await act(() => vi.advanceTimersByTimeAsync(1))
    expect(server.calls.map((c) => c.route)).toEqual(['POST /refresh'])
    expect(text()).toBe(`authenticated|demo@baton.dev|${t0 + 29.5 * MIN}|`)
    unmount()
    await act(() => vi.advanceTimersByTimeAsync(60 * MIN))
    expect(server.calls).toHaveLength(1)
  })

  it('idleTimeout signs out after inactivity; activity postpones it', async () => {
    const server = fakeServer({ signedIn: true })
    render(
      <BatonProvider
        fetch={server.fetchFor('a')}
        initialSession={{ ...serverSession(Date.now() + 15 * MIN), accessToken: 'at_0' }}
        idleTimeout={120}
      >
        <Show />
      </BatonProvider>,
    )
    await act(() => vi.advanceTimersByTimeAsync(1.5 * MIN))
    fireEvent.keyDown(window)
    await act(() => vi.advanceTimersByTimeAsync(1.5 * MIN))
    expect(text()).toMatch(/^authenticated/)
    await act(() => vi.advanceTimersByTimeAsync(MIN))
    expect(text()).toBe('unauthenticated|||')
    expect(server.calls.map((c) => c.route)).toEqual(['POST /logout'])
  })

  it('a transient refresh failure keeps the user signed in and shows the error until the retry succeeds', async () => {
    const server = fakeServer({ signedIn: true })
    server.script('POST /refresh', {
      status: 503,
      body: { error: { code: 'ERR_STORE_UNAVAILABLE', message: 'Try again.' } },
    })
    render(
      <BatonProvider
        fetch={server.fetchFor('a')}
        initialSession={{ ...serverSession(Date.now() + MIN), accessToken: 'at_0' }}
      >
        <Show />
      </BatonProvider>,
    )
    // A 1-minute token is refreshed in its last third (effectiveLeeway: min(30 s, 60 s / 3)): at 40 s.
    await act(() => vi.advanceTimersByTimeAsync(39_999))
    expect(server.count('POST /refresh')).toBe(0)
    await act(() => vi.advanceTimersByTimeAsync(1))
    expect(text()).toMatch(/^authenticated\|demo@baton\.dev\|\d+\|ERR_STORE_UNAVAILABLE$/)
    await act(() => vi.advanceTimersByTimeAsync(5_000))
    expect(text()).toMatch(/^authenticated\|demo@baton\.dev\|\d+\|$/)
    expect(server.count('POST /refresh')).toBe(2)
  })
})

describe('a refusal (fake clock)', () => {
  beforeEach(() => {
    vi.useFakeTimers({
      now: 1_700_000_000_000,
      toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'],
    })
  })

  /** The README's example: narrowing on `status` narrows `error` and `expiresAt`. */
  function Account() {
    const { status, user, expiresAt, error, signIn } = useSession()
    if (status === 'loading') return <p data-testid="account">Loading…</p>
    if (status === 'error') return <p data-testid="account">Sign-in is unavailable ({error.code})</p>
    if (status === 'unauthenticated')
      return (
        <button type="button" data-testid="account" onClick={() => signIn({ email: USER.email, password: PASSWORD })}>
          Sign in
        </button>
      )
    return <p data-testid="account">{`${String(user?.email)} until ${new Date(expiresAt).toISOString()}`}</p>
  }

  it('403 ERR_CSRF behind a dev proxy: the error state with its code, not loading forever, and no re-post', async () => {
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    const server = fakeServer({ signedIn: true })
    server.accessCookie = false // GET /session 401 → POST /refresh, refused by the Origin check
    server.script('POST /refresh', {
      status: 403,
      body: { error: { code: 'ERR_CSRF', message: 'Cross-site request refused.' } },
    })
    render(
      <BatonProvider fetch={server.fetchFor('a')}>
        <Show />
        <Account />
      </BatonProvider>,
    )
    await act(() => vi.advanceTimersByTimeAsync(0))
    expect(text()).toBe('error|||ERR_CSRF')
    expect(text('account')).toBe('Sign-in is unavailable (ERR_CSRF)')
    await act(() => vi.advanceTimersByTimeAsync(10 * MIN))
    expect(rendered).toEqual(['loading', 'error'])
    expect(server.calls.map((c) => c.route)).toEqual(['GET /session', 'POST /refresh'])
    expect(consoleError).toHaveBeenCalledTimes(1)
    expect(consoleError.mock.calls[0]?.[0]).toMatch(/403 ERR_CSRF.*changeOrigin/)
  })
})

describe('tabs', () => {
  it('two providers are two tabs: a sign-out in one signs out the other at once', async () => {
    const server = fakeServer({ signedIn: true })
    const session = { ...serverSession(Date.now() + 15 * MIN), accessToken: 'at_0' }
    let tabA: ReturnType<typeof useSession> | undefined
    function GrabA() {
      tabA = useSession()
      return null
    }
    render(
      <>
        <BatonProvider fetch={server.fetchFor('a')} initialSession={session}>
          <GrabA />
          <Show id="a" />
        </BatonProvider>
        <BatonProvider fetch={server.fetchFor('b')} initialSession={session}>
          <Show id="b" />
        </BatonProvider>
      </>,
    )
    await act(() => tabA!.refresh())
    await waitFor(() => expect(text('b')).toBe(text('a')), { timeout: 200, interval: 1 })
    await act(() => tabA!.signOut())
    await waitFor(() => expect(text('b')).toBe('unauthenticated|||'), { timeout: 50, interval: 1 })
    expect(server.calls.map((c) => `${c.tab} ${c.route}`)).toEqual(['a POST /refresh', 'a POST /logout'])
  })

  it('a client passed in is used as is (e.g. shared with @baton/axios) and started once', async () => {
    const server = fakeServer({ signedIn: true })
    const client = createAuthClient({ fetch: server.fetchFor('a'), crossTab: false })
    const start = vi.spyOn(client, 'start')
    let inside: AuthClient | undefined
    function Grab() {
      inside = useBaton()
      return null
    }
    render(
      <BatonProvider client={client}>
        <Grab />
        <Show />
      </BatonProvider>,
    )
    expect(inside).toBe(client)
    await waitFor(() => expect(text()).toMatch(/^authenticated/))
    expect(start).toHaveBeenCalledTimes(1)
  })
})

describe('the token never leaves memory', () => {
  it('sign-in, refresh and sign-out through the hooks write no cookie and no storage', async () => {
    const cookieSet = vi.spyOn(document, 'cookie', 'set')
    const setItem = vi.spyOn(Storage.prototype, 'setItem')
    const server = fakeServer()
    let session: ReturnType<typeof useSession> | undefined
    function Spy() {
      session = useSession()
      return null
    }
    render(
      <BatonProvider fetch={server.fetchFor('a')}>
        <Spy />
        <Show />
      </BatonProvider>,
    )
    await waitFor(() => expect(text()).toBe('unauthenticated|||'))
    await act(() => session!.signIn({ email: USER.email, password: PASSWORD }))
    await act(() => session!.refresh())
    expect(await act(() => session!.getAccessToken())).toBe('at_2')
    expect(document.body.innerHTML).not.toContain('at_')
    await act(() => session!.signOut())
    expect(cookieSet).not.toHaveBeenCalled()
    expect(setItem).not.toHaveBeenCalled()
    expect(document.cookie).toBe('')
    expect(localStorage.length).toBe(0)
    expect(sessionStorage.length).toBe(0)
  })
})

describe('package shape', () => {
  it("every source module starts with 'use client'", () => {
    for (const file of ['index.ts', 'baton-provider.ts', 'use-session.ts']) {
      const source = readFileSync(join(import.meta.dirname, file), 'utf8')
      expect(source.startsWith("'use client'\n"), file).toBe(true)
    }
  })
})
