import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { type AuthClient, type AuthClientEvent, type AuthClientOptions, createAuthClient } from './auth-client.js'
import {
  eventually,
  type FakeServer,
  fakeLocks,
  fakeServer,
  realSleep,
  serverSession,
  USER,
} from './fake-server.fixture.js'

// What the client tells its listeners (the `onEvent` option, `client.onEvent`): the dev tools'
// timeline is drawn from these, so each refresh says what started it, how long it took and how the
// wait for the cross-tab lock ended; a sign-out says why, also in the tabs it reaches.

const LOCK = 'baton:refresh:/api/auth'
const MIN = 60_000
const stops: (() => void)[] = []

function tab(server: FakeServer, name: string, events: AuthClientEvent[], options: AuthClientOptions = {}): AuthClient {
  const client = createAuthClient({ fetch: server.fetchFor(name), onEvent: (e) => events.push(e), ...options })
  stops.push(client.start())
  return client
}

const installLocks = (locks: unknown) => Object.defineProperty(navigator, 'locks', { value: locks, configurable: true })
const signedIn = (expiresIn = 10 * MIN) => ({ ...serverSession(Date.now() + expiresIn), accessToken: 'at_0' })
const refreshes = (events: AuthClientEvent[]) => events.filter((e) => e.type.startsWith('refresh'))

beforeEach(() => installLocks(null))
afterEach(() => {
  for (const stop of stops.splice(0)) stop()
  vi.useRealTimers()
  installLocks(null)
})

describe('what started a refresh', () => {
  it('the planned timer, getAccessToken on an expired token, refresh() and a cause passed to it', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
    const events: AuthClientEvent[] = []
    const server = fakeServer({ signedIn: true })
    const client = tab(server, 'a', events, { initialSession: signedIn(2 * MIN), crossTab: false })
    await vi.advanceTimersByTimeAsync(2 * MIN - 30_000) // the plan: 30 s before expiry
    expect(refreshes(events).map((e) => e.cause)).toEqual(['timer'])
    await client.refresh()
    await client.refresh({ cause: 'axios' })
    client.adopt(null) // a valid token held: signs out; then sign in again with an expired one
    client.adopt({ ...serverSession(Date.now() - 1_000), accessToken: 'at_old' })
    await client.getAccessToken()
    expect(refreshes(events).map((e) => e.cause)).toEqual(['timer', 'call', 'axios', 'token'])
    expect(server.count('POST /refresh')).toBe(4)
  })

  it('the tab coming back (focus, visible) when the refresh is due, and GET /session answering 401 on load', async () => {
    const events: AuthClientEvent[] = []
    const server = fakeServer({ signedIn: true })
    server.accessCookie = false // GET /session → 401 → the refresh it calls for
    tab(server, 'a', events, { crossTab: false })
    await eventually(() => expect(refreshes(events).map((e) => e.cause)).toEqual(['session']))
    const expired = { ...serverSession(Date.now() - 1_000), accessToken: 'at_0' }
    const other: AuthClientEvent[] = []
    const b = createAuthClient({ fetch: server.fetchFor('b'), initialSession: expired, crossTab: false })
    b.onEvent((e) => other.push(e))
    const stop = b.start() // schedules an immediate refresh: the timer, not the focus, wins it
    await eventually(() => expect(refreshes(other).map((e) => e.cause)).toEqual(['timer']))
    stop()
    const c = createAuthClient({ fetch: server.fetchFor('c'), initialSession: expired, crossTab: false })
    const seen: AuthClientEvent[] = []
    c.onEvent((e) => seen.push(e))
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] }) // the plan stays pending
    stops.push(c.start())
    window.dispatchEvent(new Event('focus'))
    await vi.advanceTimersByTimeAsync(0)
    vi.useRealTimers()
    await eventually(() => expect(refreshes(seen).map((e) => e.cause)).toEqual(['focus']))
  })
})

describe('how long, and the cross-tab lock', () => {
  it('no Web Locks: lock none; a duration measured from the call to the answer', async () => {
    const events: AuthClientEvent[] = []
    const server = fakeServer({ signedIn: true })
    const client = tab(server, 'a', events, { initialSession: signedIn() })
    const release = server.hold('POST /refresh')
    const pending = client.refresh()
    await realSleep(40)
    release()
    await pending
    const [event] = refreshes(events)
    expect(event).toMatchObject({ type: 'refreshed', cause: 'call', lock: 'none' })
    expect(event?.duration).toBeGreaterThanOrEqual(35)
    expect(event?.expiresAt).toBe(client.getState().expiresAt)
  })

  it('held: this tab refreshed holding the lock', async () => {
    installLocks(fakeLocks())
    const events: AuthClientEvent[] = []
    const client = tab(fakeServer({ signedIn: true }), 'a', events, { initialSession: signedIn() })
    await client.refresh()
    expect(refreshes(events)).toMatchObject([{ type: 'refreshed', lock: 'held' }])
    expect(refreshes(events)[0]?.shared).toBeUndefined()
  })

  it('timeout: a frozen holder, the wait runs out, this tab refreshes without the lock', async () => {
    const locks = fakeLocks()
    installLocks(locks)
    void locks.request(LOCK, {}, () => new Promise(() => {}))
    const events: AuthClientEvent[] = []
    const client = tab(fakeServer({ signedIn: true }), 'b', events, { initialSession: signedIn(), lockTimeout: 0.1 })
    await client.refresh()
    const [event] = refreshes(events)
    expect(event).toMatchObject({ type: 'refreshed', lock: 'timeout' })
    expect(event?.duration).toBeGreaterThanOrEqual(90)
  })

  it("waited: another tab's result arrives during the wait; no request, shared: true", async () => {
    const locks = fakeLocks()
    installLocks(locks)
    void locks.request(LOCK, {}, () => new Promise(() => {}))
    const events: AuthClientEvent[] = []
    const server = fakeServer({ signedIn: true })
    const b = tab(server, 'b', events, {
      initialSession: { ...serverSession(Date.now() - 1_000), accessToken: 'at_0' },
    })
    const waiting = b.getAccessToken()
    const other = new BroadcastChannel('baton:/api/auth')
    const expiresAt = Date.now() + 15 * MIN
    other.postMessage({
      type: 'session',
      session: { user: USER, accessToken: 'at_a', accessTokenExpiresAt: expiresAt },
    })
    expect(await waiting).toBe('at_a')
    other.close()
    expect(server.calls).toEqual([])
    expect(events.map((e) => e.type)).toContain('session-from-tab')
    expect(refreshes(events)).toMatchObject([{ type: 'refreshed', shared: true, lock: 'waited', cause: 'token' }])
  })
})

describe('why a session ended, here and in the other tabs', () => {
  it("a refused refresh: refresh-failed and signed-out carry the code; the other tab's signed-out says from: 'tab'", async () => {
    const server = fakeServer({ signedIn: true })
    const a: AuthClientEvent[] = []
    const b: AuthClientEvent[] = []
    const tabA = tab(server, 'a', a, { initialSession: signedIn() })
    const tabB = tab(server, 'b', b, { initialSession: signedIn() })
    server.script('POST /refresh', {
      status: 401,
      body: { error: { code: 'ERR_REFRESH_TOKEN_REUSED', message: 'Reused.' } },
    })
    expect(await tabA.refresh()).toBeNull()
    expect(a.map(({ type, code }) => ({ type, code }))).toEqual([
      { type: 'refresh-failed', code: 'ERR_REFRESH_TOKEN_REUSED' },
      { type: 'signed-out', code: 'ERR_REFRESH_TOKEN_REUSED' },
    ])
    await eventually(() => expect(tabB.getState().status).toBe('unauthenticated'))
    expect(b).toEqual([{ type: 'signed-out', at: expect.any(Number), from: 'tab' }])
  })

  it("signOut(): no code here; the other tab's event says from: 'tab'", async () => {
    const server = fakeServer({ signedIn: true })
    const a: AuthClientEvent[] = []
    const b: AuthClientEvent[] = []
    const tabA = tab(server, 'a', a, { initialSession: signedIn() })
    const tabB = tab(server, 'b', b, { initialSession: signedIn() })
    await tabA.signOut()
    await eventually(() => expect(tabB.getState().status).toBe('unauthenticated'))
    expect(a).toEqual([{ type: 'signed-out', at: expect.any(Number), code: undefined }])
    expect(b).toEqual([{ type: 'signed-out', at: expect.any(Number), from: 'tab' }])
  })
})

describe('in a production build', () => {
  it("the events keep type, time, expiry and code, without the dev tools' details (bundlers inline NODE_ENV)", async () => {
    const before = process.env.NODE_ENV
    process.env.NODE_ENV = 'production'
    try {
      const locks = fakeLocks()
      installLocks(locks)
      void locks.request(LOCK, {}, () => new Promise(() => {}))
      const events: AuthClientEvent[] = []
      const server = fakeServer({ signedIn: true })
      const b = tab(server, 'b', events, {
        initialSession: { ...serverSession(Date.now() - 1_000), accessToken: 'at_0' },
      })
      const waiting = b.getAccessToken() // waits for the held lock; another tab's result arrives
      const other = new BroadcastChannel('baton:/api/auth')
      const expiresAt = Date.now() + 15 * MIN
      other.postMessage({
        type: 'session',
        session: { user: USER, accessToken: 'at_a', accessTokenExpiresAt: expiresAt },
      })
      expect(await waiting).toBe('at_a')
      other.close()
      installLocks(null)
      await b.refresh({ cause: 'axios' })
      expect(events).toEqual([
        { type: 'session-from-tab', at: expect.any(Number), expiresAt },
        { type: 'refreshed', at: expect.any(Number), expiresAt: b.getState().expiresAt },
      ])
    } finally {
      process.env.NODE_ENV = before
    }
  })
})

describe('listening after creation, and peeking at the token', () => {
  it('onEvent adds a listener beside the option; its stop function removes only it', async () => {
    const server = fakeServer({ signedIn: true })
    const fromOption: AuthClientEvent[] = []
    const client = tab(server, 'a', fromOption, { initialSession: signedIn(), crossTab: false })
    const added: AuthClientEvent[] = []
    const stop = client.onEvent((e) => added.push(e))
    await client.refresh()
    stop()
    await client.refresh()
    expect(fromOption.map((e) => e.type)).toEqual(['refreshed', 'refreshed'])
    expect(added.map((e) => e.type)).toEqual(['refreshed'])
  })

  it('peekAccessToken returns the token held, even expired, and never sends a request', async () => {
    const server = fakeServer({ signedIn: true })
    const client = createAuthClient({
      fetch: server.fetchFor('a'),
      initialSession: { ...serverSession(Date.now() - 1_000), accessToken: 'at_expired' },
      crossTab: false,
    })
    expect(client.peekAccessToken()).toBe('at_expired')
    expect(server.calls).toEqual([])
    await client.refresh()
    expect(client.peekAccessToken()).toBe('at_1')
    await client.signOut()
    expect(client.peekAccessToken()).toBeNull()
    const loading = createAuthClient({ fetch: server.fetchFor('b'), crossTab: false })
    expect(loading.peekAccessToken()).toBeNull()
  })
})
