import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { type AuthClient, type AuthClientOptions, createAuthClient } from './auth-client.js'
import { withTabLock } from './cross-tab.js'
import {
  eventually,
  type FakeServer,
  fakeLocks,
  fakeServer,
  PASSWORD,
  realSleep,
  serverSession,
  USER,
} from './fake-server.fixture.js'

// Two `createAuthClient` instances are two tabs: they share the platform's
// BroadcastChannel (same process, delivered asynchronously as in a browser),
// a fake server (the cookies are the browser's, shared by all tabs) and, where
// a test installs one, a fake `navigator.locks` with a real queue.

const LOCK = 'baton:refresh:/api/auth'
const MIN = 60_000

const stops: (() => void)[] = []

function openTab(server: FakeServer, name: string, options: AuthClientOptions = {}): AuthClient {
  const client = createAuthClient({ fetch: server.fetchFor(name), ...options })
  stops.push(client.start())
  return client
}

function installLocks(locks: unknown) {
  Object.defineProperty(navigator, 'locks', { value: locks, configurable: true })
}

beforeEach(() => installLocks(null))

afterEach(() => {
  for (const stop of stops.splice(0)) stop()
  vi.useRealTimers()
  vi.restoreAllMocks()
  installLocks(null)
})

const signedIn = () => ({ ...serverSession(Date.now() + 10 * MIN), accessToken: 'at_0' })
const CSRF = { status: 403, body: { error: { code: 'ERR_CSRF', message: 'Cross-site request refused.' } } }

describe('sharing over BroadcastChannel', () => {
  it('a refresh in tab A updates tab B, which makes no request and uses the new token', async () => {
    const server = fakeServer({ signedIn: true })
    const a = openTab(server, 'a', { initialSession: signedIn() })
    const b = openTab(server, 'b', { initialSession: signedIn() })
    const seen: (number | null)[] = []
    b.subscribe(() => seen.push(b.getState().expiresAt))
    await a.refresh()
    await eventually(() => expect(b.getState().expiresAt).toBe(a.getState().expiresAt))
    expect(b.getState()).toMatchObject({ status: 'authenticated', user: USER })
    expect(await b.getAccessToken()).toBe('at_1')
    expect(server.calls.map((c) => `${c.tab} ${c.route}`)).toEqual(['a POST /refresh'])
    expect(seen).toHaveLength(1)
  })

  it('sign-out in tab A signs out tabs B and C at once (one message, no request), and they stop refreshing', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] })
    const server = fakeServer({ signedIn: true })
    const a = openTab(server, 'a', { initialSession: signedIn() })
    const b = openTab(server, 'b', { initialSession: signedIn() })
    const c = openTab(server, 'c', { initialSession: signedIn() })
    await a.signOut()
    await eventually(() => {
      expect(b.getState().status).toBe('unauthenticated')
      expect(c.getState().status).toBe('unauthenticated')
    }, 1_000)
    expect(await b.getAccessToken()).toBeNull()
    await vi.advanceTimersByTimeAsync(60 * MIN)
    expect(server.calls.map((call) => `${call.tab} ${call.route}`)).toEqual(['a POST /logout'])
  })

  it('a sign-in in tab A signs in tab B', async () => {
    const server = fakeServer()
    const a = openTab(server, 'a', { initialSession: null })
    const b = openTab(server, 'b', { initialSession: null })
    await a.signIn({ email: USER.email, password: PASSWORD })
    await eventually(() => expect(b.getState()).toMatchObject({ status: 'authenticated', user: USER }))
    expect(await b.getAccessToken()).toBe('at_1')
    expect(server.calls).toHaveLength(1)
  })

  it('a refresh that ends the session (401) in tab A signs out tab B', async () => {
    const server = fakeServer({ signedIn: true })
    server.script('POST /refresh', {
      status: 401,
      body: { error: { code: 'ERR_SESSION_REVOKED', message: 'The session has been revoked.' } },
    })
    const a = openTab(server, 'a', { initialSession: signedIn() })
    const b = openTab(server, 'b', { initialSession: signedIn() })
    expect(await a.refresh()).toBeNull()
    await eventually(() => expect(b.getState().status).toBe('unauthenticated'))
  })

  it('a refusal in tab A (403 ERR_CSRF) puts tab B in the same error state, without a request from B', async () => {
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    const server = fakeServer({ signedIn: true })
    server.script('POST /refresh', CSRF)
    const a = openTab(server, 'a', { initialSession: signedIn() })
    const b = openTab(server, 'b', { initialSession: signedIn() })
    await expect(a.refresh()).rejects.toMatchObject({ code: 'ERR_CSRF' })
    await eventually(() => expect(b.getState()).toEqual(a.getState()))
    expect(b.getState()).toMatchObject({ status: 'error', error: { code: 'ERR_CSRF', status: 403 } })
    expect(await b.getAccessToken()).toBeNull()
    expect(server.calls.map((c) => `${c.tab} ${c.route}`)).toEqual(['a POST /refresh'])
    // One line per tab (each tab has its own console); B says where it heard it.
    expect(consoleError).toHaveBeenCalledTimes(2)
    expect(consoleError.mock.calls[1]?.[0]).toContain('POST /api/auth/refresh (in another tab) refused: 403 ERR_CSRF')
  })

  it('a sign-in in another tab ends the error state', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined)
    const server = fakeServer({ staleCookie: true })
    server.script('POST /refresh', CSRF)
    const b = openTab(server, 'b') // loading: GET /session 401 → POST /refresh 403
    await eventually(() => expect(b.getState().status).toBe('error'))
    const a = openTab(server, 'a', { initialSession: null })
    await a.signIn({ email: USER.email, password: PASSWORD })
    await eventually(() => expect(b.getState()).toMatchObject({ status: 'authenticated', user: USER, error: null }))
  })

  it('ignores a refusal message without an error code', async () => {
    const server = fakeServer({ signedIn: true })
    const b = openTab(server, 'b', { initialSession: signedIn() })
    const stranger = new BroadcastChannel('baton:/api/auth')
    stranger.postMessage({ type: 'refused', request: 'POST /x' })
    stranger.postMessage({ type: 'refused', error: null, request: 'POST /x' })
    await realSleep(20)
    stranger.close()
    expect(b.getState().status).toBe('authenticated')
  })

  it("a visitor's tab finding no session does not sign out a tab that just signed in", async () => {
    const server = fakeServer({ staleCookie: true })
    const a = openTab(server, 'a', { initialSession: null })
    const hold = server.hold('POST /refresh')
    const b = openTab(server, 'b') // loading: GET /session 401, then POST /refresh (held)
    await eventually(() => expect(server.count('POST /refresh', 'b')).toBe(1))
    server.signedIn = false
    await a.signIn({ email: USER.email, password: PASSWORD })
    await eventually(() => expect(b.getState().status).toBe('authenticated')) // A's session reached B
    server.signedIn = false // B's refresh was sent before the cookie existed: it fails with 401
    hold()
    await realSleep(20)
    expect(server.count('POST /refresh', 'b')).toBe(1)
    expect(b.getState()).toMatchObject({ status: 'authenticated', error: null })
    expect(a.getState().status).toBe('authenticated')
  })

  it('crossTab: false keeps a tab to itself', async () => {
    const server = fakeServer({ signedIn: true })
    const a = openTab(server, 'a', { initialSession: signedIn(), crossTab: false })
    const b = openTab(server, 'b', { initialSession: signedIn() })
    await a.signOut()
    await realSleep(20)
    expect(b.getState().status).toBe('authenticated')
  })

  it('tabs with different basePaths do not hear each other', async () => {
    const server = fakeServer({ signedIn: true })
    const a = openTab(server, 'a', { initialSession: signedIn(), basePath: '/api/auth' })
    const b = openTab(server, 'b', { initialSession: signedIn(), basePath: '/admin/auth' })
    await a.signOut()
    await realSleep(20)
    expect(b.getState().status).toBe('authenticated')
  })

  it('ignores junk on the channel', async () => {
    const server = fakeServer({ signedIn: true })
    const b = openTab(server, 'b', { initialSession: signedIn() })
    const stranger = new BroadcastChannel('baton:/api/auth')
    for (const junk of [null, 42, 'signed-out', { type: 7 }, { kind: 'signed-out' }]) stranger.postMessage(junk)
    await realSleep(20)
    stranger.close()
    expect(b.getState()).toMatchObject({ status: 'authenticated', user: USER })
  })
})

describe('one refresh per browser (Web Locks)', () => {
  it('N tabs due at once → one POST /refresh; the others wake on its broadcast result and never take the lock', async () => {
    const locks = fakeLocks()
    installLocks(locks)
    const server = fakeServer({ signedIn: true })
    const expired = { ...serverSession(Date.now() - 1_000), accessToken: 'at_0' }
    const tabs = ['a', 'b', 'c', 'd', 'e'].map((name) =>
      createAuthClient({ fetch: server.fetchFor(name), initialSession: expired }),
    )
    for (const t of tabs) stops.push(t.start()) // each schedules an immediate refresh
    await eventually(() => {
      for (const t of tabs) expect(t.getState().expiresAt).toBeGreaterThan(Date.now())
    }, 2_000)
    await eventually(() => expect(locks.isHeld(LOCK)).toBe(false), 2_000)
    expect(server.count('POST /refresh')).toBe(1)
    expect(new Set(await Promise.all(tabs.map((t) => t.getAccessToken())))).toEqual(new Set(['at_1']))
    expect(server.calls).toHaveLength(1)
    expect(locks.grants).toBe(1)
  })

  it('N tabs due at once, refused (403): one POST /refresh, every tab in the error state', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined)
    installLocks(fakeLocks())
    const server = fakeServer({ signedIn: true })
    server.script('POST /refresh', CSRF)
    const expired = { ...serverSession(Date.now() - 1_000), accessToken: 'at_0' }
    const tabs = ['a', 'b', 'c'].map((name) =>
      createAuthClient({ fetch: server.fetchFor(name), initialSession: expired }),
    )
    for (const t of tabs) stops.push(t.start())
    await eventually(() => {
      for (const t of tabs) expect(t.getState()).toMatchObject({ status: 'error', error: { code: 'ERR_CSRF' } })
    })
    await realSleep(150) // past the lock hold: nobody else posts
    expect(server.count('POST /refresh')).toBe(1)
  })

  it('two tabs calling refresh() together share one request', async () => {
    installLocks(fakeLocks())
    const server = fakeServer({ signedIn: true })
    const expired = { ...serverSession(Date.now() - 1_000), accessToken: 'at_0' }
    const a = createAuthClient({ fetch: server.fetchFor('a'), initialSession: expired })
    const b = createAuthClient({ fetch: server.fetchFor('b'), initialSession: expired })
    stops.push(a.start(), b.start())
    const [ta, tb] = await Promise.all([a.getAccessToken(), b.getAccessToken()])
    expect(ta).toBe('at_1')
    expect(tb).toBe('at_1')
    expect(server.count('POST /refresh')).toBe(1)
  })

  it('a short-lived token refreshed by another tab is not refreshed again', async () => {
    installLocks(fakeLocks())
    const server = fakeServer({ signedIn: true, ttl: 10_000 })
    const expired = { ...serverSession(Date.now() - 1_000), accessToken: 'at_0' }
    const a = openTab(server, 'a', { initialSession: expired })
    const b = openTab(server, 'b', { initialSession: expired })
    await eventually(() => {
      expect(a.getState().expiresAt).toBeGreaterThan(Date.now())
      expect(b.getState().expiresAt).toBeGreaterThan(Date.now())
    }, 2_000)
    await realSleep(50)
    expect(server.count('POST /refresh')).toBe(1)
  })

  it('a lock holder that never releases delays the refresh by lockTimeout, never hangs it', async () => {
    const locks = fakeLocks()
    installLocks(locks)
    void locks.request(LOCK, {}, () => new Promise(() => {})) // a frozen tab holding the lock forever
    const server = fakeServer({ signedIn: true })
    const b = createAuthClient({ fetch: server.fetchFor('b'), initialSession: signedIn(), lockTimeout: 0.1 })
    const started = performance.now()
    await expect(b.refresh()).resolves.toBe('at_1')
    const waited = performance.now() - started
    expect(waited).toBeGreaterThanOrEqual(90)
    expect(waited).toBeLessThan(1_000)
    expect(server.count('POST /refresh')).toBe(1)
    expect(locks.isHeld(LOCK)).toBe(true)
  })

  it("a tab waiting for the lock takes another tab's broadcast result at once, without waiting for the lock", async () => {
    const locks = fakeLocks()
    installLocks(locks)
    void locks.request(LOCK, {}, () => new Promise(() => {})) // held (a tab mid-refresh, or frozen)
    const server = fakeServer({ signedIn: true })
    const b = openTab(server, 'b', { initialSession: { ...serverSession(Date.now() - 1_000), accessToken: 'at_0' } })
    const waiting = b.getAccessToken()
    const other = new BroadcastChannel('baton:/api/auth')
    const fresh = { user: USER, accessToken: 'at_from_a', accessTokenExpiresAt: Date.now() + 15 * MIN }
    const started = performance.now()
    other.postMessage({ type: 'session', session: fresh })
    expect(await waiting).toBe('at_from_a')
    expect(performance.now() - started).toBeLessThan(1_000) // far below the 10 s lock timeout
    other.close()
    expect(server.calls).toEqual([])
  })

  it('the lock timeout is exact and defaults to 10 s (fake clock)', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] })
    const locks = fakeLocks()
    installLocks(locks)
    void locks.request(LOCK, {}, () => new Promise(() => {}))
    const server = fakeServer({ signedIn: true })
    const b = createAuthClient({ fetch: server.fetchFor('b'), initialSession: signedIn(), crossTab: false })
    const token = b.refresh()
    await vi.advanceTimersByTimeAsync(9_999)
    expect(server.calls).toHaveLength(0)
    await vi.advanceTimersByTimeAsync(1)
    expect(server.calls).toHaveLength(1)
    expect(await token).toBe('at_1')
  })

  it('works without Web Locks, and when the lock request itself fails', async () => {
    const server = fakeServer({ signedIn: true })
    const a = createAuthClient({ fetch: server.fetchFor('a'), initialSession: signedIn() })
    expect(await a.refresh()).toBe('at_1')
    installLocks({ request: () => Promise.reject(new DOMException('denied', 'SecurityError')) })
    expect(await a.refresh()).toBe('at_2')
  })
})

describe('withTabLock', () => {
  it('runs tasks one after another under the lock and passes results and errors through', async () => {
    installLocks(fakeLocks())
    const order: string[] = []
    const task = (name: string, ms: number) => async () => {
      order.push(`${name}:start`)
      await realSleep(ms)
      order.push(`${name}:end`)
      return name
    }
    const results = await Promise.all([withTabLock('l', 1_000, task('x', 20)), withTabLock('l', 1_000, task('y', 1))])
    expect(results).toEqual(['x', 'y'])
    expect(order).toEqual(['x:start', 'x:end', 'y:start', 'y:end'])
    await expect(withTabLock('l', 1_000, () => Promise.reject(new Error('boom')))).rejects.toThrow('boom')
  })

  it('keeps the lock 100 ms after the task (so what it posted reaches other tabs first) without delaying its caller', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const locks = fakeLocks()
    installLocks(locks)
    // Resolves with no timer advanced: the hold does not delay the caller.
    expect(await withTabLock('l', 1_000, async () => 'done')).toBe('done')
    expect(locks.isHeld('l')).toBe(true)
    await vi.advanceTimersByTimeAsync(99)
    expect(locks.isHeld('l')).toBe(true)
    await vi.advanceTimersByTimeAsync(1)
    expect(locks.isHeld('l')).toBe(false)
  })

  it('wake stops the wait early and runs the task without the lock', async () => {
    const locks = fakeLocks()
    installLocks(locks)
    void locks.request('l', {}, () => new Promise(() => {}))
    let wakeUp = () => {}
    const result = withTabLock(
      'l',
      60_000,
      async () => 'ran',
      (stop) => {
        wakeUp = stop
        return () => {}
      },
    )
    await realSleep(5)
    wakeUp()
    await expect(result).resolves.toBe('ran')
  })

  it('a task that fails under the lock is not run a second time', async () => {
    installLocks(fakeLocks())
    const task = vi.fn(() => Promise.reject(new Error('boom')))
    await expect(withTabLock('l', 1_000, task)).rejects.toThrow('boom')
    expect(task).toHaveBeenCalledTimes(1)
  })
})

describe('idle sign-out across tabs', () => {
  beforeEach(() => {
    vi.useFakeTimers({
      now: 1_700_000_000_000,
      toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'],
    })
  })

  it('an activity message from another tab postpones the sign-out', async () => {
    const server = fakeServer({ signedIn: true })
    const b = openTab(server, 'b', { initialSession: signedIn(), idleTimeout: 60 })
    const other = new BroadcastChannel('baton:/api/auth')
    await vi.advanceTimersByTimeAsync(50_000)
    other.postMessage({ type: 'activity', at: Date.now() })
    await realSleep(20)
    await vi.advanceTimersByTimeAsync(55_000) // t = 105 s
    expect(b.getState().status).toBe('authenticated')
    expect(server.count('POST /logout')).toBe(0)
    await vi.advanceTimersByTimeAsync(15_000) // t = 120 s
    expect(b.getState().status).toBe('unauthenticated')
    expect(server.count('POST /logout')).toBe(1)
    other.close()
  })

  it('without that message, the idle tab signs out at idleTimeout', async () => {
    const server = fakeServer({ signedIn: true })
    const b = openTab(server, 'b', { initialSession: signedIn(), idleTimeout: 60 })
    await vi.advanceTimersByTimeAsync(60_000)
    expect(b.getState().status).toBe('unauthenticated')
  })

  it('activity is shared even with idle timeouts shorter than the 10 s throttle', async () => {
    const server = fakeServer({ signedIn: true })
    const listener = new BroadcastChannel('baton:/api/auth')
    const heard: unknown[] = []
    listener.onmessage = (e) => heard.push(e.data)
    openTab(server, 'a', { initialSession: signedIn(), idleTimeout: 4 })
    for (let t = 0; t < 3; t++) {
      window.dispatchEvent(new Event('pointerdown'))
      await vi.advanceTimersByTimeAsync(1_000)
    }
    window.dispatchEvent(new Event('pointerdown'))
    await realSleep(20)
    listener.close()
    expect(heard.filter((m) => (m as { type: string }).type === 'activity').length).toBeGreaterThanOrEqual(2)
  })

  it('a tab signed in from another tab after a long idle period does not sign everyone out', async () => {
    const server = fakeServer()
    const a = openTab(server, 'a', { initialSession: null, idleTimeout: 300 })
    const b = openTab(server, 'b', { initialSession: null, idleTimeout: 300 })
    await vi.advanceTimersByTimeAsync(60 * MIN) // both idle and signed out for an hour
    await a.signIn({ email: USER.email, password: PASSWORD })
    await eventually(() => expect(b.getState().status).toBe('authenticated'))
    await vi.advanceTimersByTimeAsync(MIN)
    await realSleep(20)
    expect(server.count('POST /logout')).toBe(0)
    expect(a.getState().status).toBe('authenticated')
    expect(b.getState().status).toBe('authenticated')
  })
})
