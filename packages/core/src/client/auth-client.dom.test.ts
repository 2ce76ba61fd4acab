import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { BatonError, isBatonError } from '../errors.js'
import { type AuthClient, type AuthClientEvent, type AuthClientOptions, createAuthClient } from './auth-client.js'
import { type FakeServer, fakeServer, PASSWORD, serverSession, USER } from './fake-server.fixture.js'

const T0 = 1_700_000_000_000
const SEC = 1_000
const MIN = 60 * SEC

const stops: (() => void)[] = []
let events: AuthClientEvent[] = []

/** One tab's client, not started (no timers, no listeners). */
function tab(server: FakeServer, options: AuthClientOptions = {}, name = 'a'): AuthClient {
  return createAuthClient({
    fetch: server.fetchFor(name),
    crossTab: false,
    onEvent: (event) => events.push(event),
    ...options,
  })
}

/** One tab's client, started as `<BatonProvider>` would after mount. */
function startedTab(server: FakeServer, options: AuthClientOptions = {}, name = 'a'): AuthClient {
  const client = tab(server, options, name)
  stops.push(client.start())
  return client
}

/** Lets pending promises (the fake fetch, JSON parsing) settle without moving the clock. */
const settle = () => vi.advanceTimersByTimeAsync(0)

const signedInAt = (expiresAt: number, accessToken = 'at_0') => ({ ...serverSession(expiresAt), accessToken })

beforeEach(() => {
  vi.useFakeTimers({ now: T0, toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] })
  vi.spyOn(Math, 'random').mockReturnValue(0) // no jitter: retries come at the nominal 5 s, 10 s, 20 s…
  events = []
})

afterEach(() => {
  for (const stop of stops.splice(0)) stop()
  vi.useRealTimers()
  vi.restoreAllMocks()
  Object.defineProperty(document, 'visibilityState', { value: 'visible', configurable: true })
})

describe('start-up status', () => {
  it('initialSession undefined: loading, then authenticated from GET /session', async () => {
    const server = fakeServer({ signedIn: true })
    const client = tab(server)
    expect(client.getState()).toMatchObject({ status: 'loading', user: null, expiresAt: null })
    expect(server.calls).toEqual([])
    stops.push(client.start())
    await settle()
    expect(client.getState()).toMatchObject({
      status: 'authenticated',
      user: USER,
      session: { id: 'sess_1' },
      expiresAt: T0 + 15 * MIN,
      error: null,
    })
    expect(server.calls.map((c) => c.route)).toEqual(['GET /session'])
  })

  it('GET /session 401 → POST /refresh 200 → authenticated', async () => {
    const server = fakeServer({ signedIn: true })
    server.accessCookie = false // the access cookie expired; the refresh cookie is still there
    const client = startedTab(server)
    await settle()
    expect(client.getState()).toMatchObject({ status: 'authenticated', user: USER, error: null })
    expect(server.calls.map((c) => c.route)).toEqual(['GET /session', 'POST /refresh'])
    expect(await client.getAccessToken()).toBe(server.lastToken())
    expect(server.calls).toHaveLength(2)
  })

  it('a visitor without cookies: GET /session says ERR_REFRESH_TOKEN_MISSING → unauthenticated, no refresh', async () => {
    const server = fakeServer()
    const client = startedTab(server)
    await settle()
    expect(client.getState()).toEqual({
      status: 'unauthenticated',
      user: null,
      session: null,
      expiresAt: null,
      error: null,
    })
    expect(server.calls.map((c) => c.route)).toEqual(['GET /session'])
    expect(events.map((e) => e.type)).toEqual([])
    await vi.advanceTimersByTimeAsync(60 * MIN)
    expect(server.calls).toHaveLength(1)
  })

  it('GET /session 401 + POST /refresh 401 → unauthenticated, quietly (a stale cookie is not an error)', async () => {
    const server = fakeServer({ staleCookie: true })
    const client = startedTab(server)
    await settle()
    expect(client.getState()).toEqual({
      status: 'unauthenticated',
      user: null,
      session: null,
      expiresAt: null,
      error: null,
    })
    expect(server.calls.map((c) => c.route)).toEqual(['GET /session', 'POST /refresh'])
    expect(events.map((e) => e.type)).toEqual([])
    await vi.advanceTimersByTimeAsync(60 * MIN)
    expect(server.calls).toHaveLength(2)
  })

  it('initialSession null → unauthenticated with no request, ever', async () => {
    const server = fakeServer({ signedIn: true })
    const client = startedTab(server, { initialSession: null })
    expect(client.getState().status).toBe('unauthenticated')
    await vi.advanceTimersByTimeAsync(60 * MIN)
    window.dispatchEvent(new Event('focus'))
    await settle()
    expect(server.calls).toEqual([])
    expect(await client.getAccessToken()).toBeNull()
    expect(server.calls).toEqual([])
  })

  it('initialSession given → authenticated before start, and no request on start', async () => {
    const server = fakeServer({ signedIn: true })
    const client = tab(server, { initialSession: serverSession(T0 + 15 * MIN) })
    expect(client.getState()).toEqual({
      status: 'authenticated',
      user: USER,
      session: null,
      expiresAt: T0 + 15 * MIN,
      error: null,
    })
    stops.push(client.start())
    await vi.advanceTimersByTimeAsync(10 * MIN)
    expect(server.calls).toEqual([])
  })

  it('an unreachable server at start-up stays loading with the error, and tries again ~5 s later', async () => {
    const server = fakeServer({ signedIn: true })
    server.script('GET /session', 'network')
    const client = startedTab(server)
    await settle()
    expect(client.getState()).toMatchObject({ status: 'loading', error: { code: 'ERR_NETWORK' } })
    await vi.advanceTimersByTimeAsync(4_999)
    expect(server.calls).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(1)
    expect(server.calls.map((c) => c.route)).toEqual(['GET /session', 'GET /session'])
    expect(client.getState()).toMatchObject({ status: 'authenticated', error: null })
  })

  it('start() is idempotent and a no-op in StrictMode-style start/stop/start (one request)', async () => {
    const server = fakeServer({ signedIn: true })
    const client = tab(server)
    const stop = client.start()
    expect(client.start()).not.toBe(stop)
    stop()
    stops.push(client.start())
    await settle()
    expect(server.calls.map((c) => c.route)).toEqual(['GET /session'])
    expect(client.getState().status).toBe('authenticated')
  })
})

describe('proactive refresh', () => {
  it('refreshes leeway (30 s) before expiry, then reschedules from the new expiry', async () => {
    const server = fakeServer({ signedIn: true })
    const client = startedTab(server, { initialSession: signedInAt(T0 + 15 * MIN) })
    await vi.advanceTimersByTimeAsync(14 * MIN + 30 * SEC - 1)
    expect(server.count('POST /refresh')).toBe(0)
    await vi.advanceTimersByTimeAsync(1)
    expect(server.count('POST /refresh')).toBe(1)
    const renewed = T0 + 14 * MIN + 30 * SEC + 15 * MIN
    expect(client.getState()).toMatchObject({ status: 'authenticated', expiresAt: renewed })
    expect(events.map((e) => e.type)).toEqual(['refreshed'])
    await vi.advanceTimersByTimeAsync(14 * MIN + 30 * SEC - 1)
    expect(server.count('POST /refresh')).toBe(1)
    await vi.advanceTimersByTimeAsync(1)
    expect(server.count('POST /refresh')).toBe(2)
    expect(client.getState().expiresAt).toBe(renewed + 14 * MIN + 30 * SEC)
  })

  it('honours refreshLeeway', async () => {
    const server = fakeServer({ signedIn: true })
    startedTab(server, { initialSession: signedInAt(T0 + 15 * MIN), refreshLeeway: 120 })
    await vi.advanceTimersByTimeAsync(13 * MIN - 1)
    expect(server.count('POST /refresh')).toBe(0)
    await vi.advanceTimersByTimeAsync(1)
    expect(server.count('POST /refresh')).toBe(1)
  })

  it('refreshes in the last third of lifetimes shorter than three times the leeway (effectiveLeeway)', async () => {
    const server = fakeServer({ signedIn: true, ttl: 9 * SEC })
    startedTab(server, { initialSession: signedInAt(T0 + 9 * SEC) })
    await vi.advanceTimersByTimeAsync(6 * SEC - 1)
    expect(server.count('POST /refresh')).toBe(0)
    await vi.advanceTimersByTimeAsync(1)
    expect(server.count('POST /refresh')).toBe(1)
    await vi.advanceTimersByTimeAsync(6 * SEC)
    expect(server.count('POST /refresh')).toBe(2)
  })

  it('refuses durations in milliseconds at creation, naming the option', () => {
    expect(() => createAuthClient({ refreshLeeway: 30_000 })).toThrow(
      '`refreshLeeway` is in seconds (at most 3600); got 30000. Did you pass milliseconds?',
    )
    expect(() => createAuthClient({ lockTimeout: 10_000 })).toThrow(/^`lockTimeout` is in seconds \(at most 60\)/)
    expect(() => createAuthClient({ idleTimeout: 300_000 })).toThrow(/^`idleTimeout` is in seconds \(at most 86400\)/)
    expect(() => createAuthClient({ lockTimeout: 0 })).toThrow('`lockTimeout` must be a number of seconds > 0; got 0.')
  })

  it('refreshes at once when the initial session has already expired', async () => {
    const server = fakeServer({ signedIn: true })
    const client = startedTab(server, { initialSession: serverSession(T0 - SEC) })
    await settle()
    expect(server.calls.map((c) => c.route)).toEqual(['POST /refresh'])
    expect(client.getState().expiresAt).toBe(T0 + 15 * MIN)
  })

  it.each([
    [
      'a 503',
      { status: 503, body: { error: { code: 'ERR_STORE_UNAVAILABLE', message: 'Try again.' } } },
      'ERR_STORE_UNAVAILABLE',
    ],
    ['a network error', 'network', 'ERR_NETWORK'],
    ['a 502 without a JSON body', { status: 502 }, 'ERR_NETWORK'],
  ] as const)('%s keeps the user signed in with `error` set, and retries ~5 s later', async (_, reply, code) => {
    const server = fakeServer({ signedIn: true })
    server.script('POST /refresh', reply)
    const client = startedTab(server, { initialSession: signedInAt(T0 + 15 * MIN) })
    await vi.advanceTimersByTimeAsync(14 * MIN + 30 * SEC)
    expect(server.count('POST /refresh')).toBe(1)
    expect(client.getState()).toMatchObject({ status: 'authenticated', user: USER, error: { code } })
    expect(events.at(-1)).toMatchObject({ type: 'refresh-failed', code })
    expect(await client.getAccessToken()).toBe('at_0') // still valid for 30 s
    await vi.advanceTimersByTimeAsync(5 * SEC - 1)
    expect(server.count('POST /refresh')).toBe(1)
    await vi.advanceTimersByTimeAsync(1)
    expect(server.count('POST /refresh')).toBe(2)
    expect(client.getState()).toMatchObject({ status: 'authenticated', error: null })
    expect(client.getState().expiresAt).toBe(Date.now() + 15 * MIN)
  })

  it('keeps retrying through an outage, later after each failure, with one retry timer however many callers failed', async () => {
    const server = fakeServer({ signedIn: true })
    server.script('POST /refresh', 'network', 'network', 'network', 'network')
    const client = startedTab(server, { initialSession: signedInAt(T0 + 15 * MIN) })
    await vi.advanceTimersByTimeAsync(14 * MIN + 30 * SEC) // scheduled refresh fails (1)
    await expect(client.refresh()).rejects.toMatchObject({ code: 'ERR_NETWORK' }) // (2)
    window.dispatchEvent(new Event('focus')) // due: (3)
    await settle()
    expect(server.count('POST /refresh')).toBe(3)
    await vi.advanceTimersByTimeAsync(20 * SEC - 1) // third failure in a row: 20 s
    expect(server.count('POST /refresh')).toBe(3)
    await vi.advanceTimersByTimeAsync(1) // one retry (4), fails, plans one more in 40 s
    expect(server.count('POST /refresh')).toBe(4)
    await vi.advanceTimersByTimeAsync(40 * SEC) // (5) succeeds
    expect(server.count('POST /refresh')).toBe(5)
    expect(client.getState()).toMatchObject({ status: 'authenticated', error: null })
    await vi.advanceTimersByTimeAsync(60 * SEC)
    expect(server.count('POST /refresh')).toBe(5)
  })

  it('a 401 from refresh signs out, with the server code, and stops refreshing', async () => {
    const server = fakeServer({ signedIn: true })
    server.script('POST /refresh', {
      status: 401,
      body: { error: { code: 'ERR_REFRESH_TOKEN_REUSED', message: 'The refresh token was reused.' } },
    })
    const client = startedTab(server, { initialSession: signedInAt(T0 + 15 * MIN) })
    await vi.advanceTimersByTimeAsync(14 * MIN + 30 * SEC)
    expect(client.getState()).toEqual({
      status: 'unauthenticated',
      user: null,
      session: null,
      expiresAt: null,
      error: { code: 'ERR_REFRESH_TOKEN_REUSED', message: 'The refresh token was reused.', status: 401 },
    })
    expect(events.at(-1)).toMatchObject({ type: 'signed-out', code: 'ERR_REFRESH_TOKEN_REUSED' })
    expect(await client.getAccessToken()).toBeNull()
    await vi.advanceTimersByTimeAsync(60 * MIN)
    expect(server.calls).toHaveLength(1)
  })

  it('stop() cancels the schedule and any pending retry', async () => {
    const server = fakeServer({ signedIn: true })
    server.script('POST /refresh', 'network')
    const client = tab(server, { initialSession: signedInAt(T0 + 15 * MIN) })
    const stop = client.start()
    await vi.advanceTimersByTimeAsync(14 * MIN + 30 * SEC)
    expect(server.count('POST /refresh')).toBe(1)
    stop()
    await vi.advanceTimersByTimeAsync(60 * MIN)
    expect(server.count('POST /refresh')).toBe(1)
  })
})

describe('single flight', () => {
  it('20 concurrent getAccessToken()/refresh() calls with an expired token make exactly one POST /refresh', async () => {
    const server = fakeServer({ signedIn: true })
    const client = tab(server, { initialSession: signedInAt(T0 - SEC) })
    const release = server.hold('POST /refresh')
    const results = Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? client.getAccessToken() : client.refresh())),
    )
    await settle()
    expect(server.count('POST /refresh')).toBe(1)
    release()
    await settle()
    expect(new Set(await results)).toEqual(new Set(['at_1']))
    expect(server.calls).toHaveLength(1)
    expect(await client.getAccessToken()).toBe('at_1')
    expect(server.calls).toHaveLength(1)
  })

  it('a refresh after the previous one settled is a new request', async () => {
    const server = fakeServer({ signedIn: true })
    const client = tab(server, { initialSession: signedInAt(T0 + 15 * MIN) })
    expect(await client.refresh()).toBe('at_1')
    expect(await client.refresh()).toBe('at_2')
    expect(server.count('POST /refresh')).toBe(2)
  })
})

describe('focus, visibility and reconnection', () => {
  const fire = async (target: EventTarget, type: string) => {
    target.dispatchEvent(new Event(type))
    await settle()
  }

  it('trigger nothing while the token is not due', async () => {
    const server = fakeServer({ signedIn: true })
    startedTab(server, { initialSession: signedInAt(T0 + 15 * MIN) })
    await vi.advanceTimersByTimeAsync(14 * MIN)
    await fire(window, 'focus')
    await fire(window, 'online')
    await fire(document, 'visibilitychange')
    expect(server.calls).toEqual([])
  })

  it.each([
    ['focus', () => window],
    ['online', () => window],
    ['visibilitychange', () => document],
  ] as const)('%s refreshes when due (a tab that slept through its timer)', async (type, target) => {
    const server = fakeServer({ signedIn: true })
    const client = startedTab(server, { initialSession: signedInAt(T0 + 15 * MIN) })
    vi.setSystemTime(T0 + 20 * MIN) // the clock moved on; the timer has not fired (sleeping laptop)
    await fire(target(), type)
    expect(server.calls.map((c) => c.route)).toEqual(['POST /refresh'])
    expect(client.getState().expiresAt).toBe(T0 + 35 * MIN)
    await fire(target(), type)
    expect(server.calls).toHaveLength(1)
  })

  it('a hidden page does not refresh on visibilitychange; it does when it becomes visible', async () => {
    const server = fakeServer({ signedIn: true })
    startedTab(server, { initialSession: signedInAt(T0 + 15 * MIN) })
    vi.setSystemTime(T0 + 20 * MIN)
    Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true })
    await fire(document, 'visibilitychange')
    expect(server.calls).toEqual([])
    Object.defineProperty(document, 'visibilityState', { value: 'visible', configurable: true })
    await fire(document, 'visibilitychange')
    expect(server.calls.map((c) => c.route)).toEqual(['POST /refresh'])
  })

  it('nothing happens after stop() or while signed out', async () => {
    const server = fakeServer({ signedIn: true })
    const client = tab(server, { initialSession: signedInAt(T0 + 15 * MIN) })
    client.start()()
    vi.setSystemTime(T0 + 20 * MIN)
    await fire(window, 'focus')
    const out = startedTab(server, { initialSession: null }, 'b')
    await fire(window, 'online')
    expect(out.getState().status).toBe('unauthenticated')
    expect(server.calls).toEqual([])
  })
})

describe('idle sign-out', () => {
  it('is off by default', async () => {
    const server = fakeServer({ signedIn: true })
    const client = startedTab(server, { initialSession: signedInAt(T0 + 15 * MIN) })
    await vi.advanceTimersByTimeAsync(3 * 60 * MIN)
    expect(client.getState().status).toBe('authenticated')
    expect(server.count('POST /logout')).toBe(0)
  })

  it('signs out after idleTimeout without activity (checked every min(idle/4, 15 s))', async () => {
    const server = fakeServer({ signedIn: true })
    const client = startedTab(server, { initialSession: signedInAt(T0 + 15 * MIN), idleTimeout: 300 })
    await vi.advanceTimersByTimeAsync(5 * MIN - 1)
    expect(client.getState().status).toBe('authenticated')
    await vi.advanceTimersByTimeAsync(15 * SEC)
    expect(client.getState().status).toBe('unauthenticated')
    expect(server.calls.map((c) => c.route)).toEqual(['POST /logout'])
    expect(server.signedIn).toBe(false)
    expect(events.at(-1)).toMatchObject({ type: 'signed-out' })
  })

  it.each(['pointerdown', 'keydown', 'scroll', 'touchstart'])('%s postpones it', async (type) => {
    const server = fakeServer({ signedIn: true })
    const client = startedTab(server, { initialSession: signedInAt(T0 + 15 * MIN), idleTimeout: 300 })
    await vi.advanceTimersByTimeAsync(4 * MIN)
    window.dispatchEvent(new Event(type))
    await vi.advanceTimersByTimeAsync(4 * MIN)
    expect(client.getState().status).toBe('authenticated')
    await vi.advanceTimersByTimeAsync(MIN + 15 * SEC)
    expect(client.getState().status).toBe('unauthenticated')
  })

  it('a tab signed in by another tab starts a fresh idle period (it does not sign everyone out at once)', async () => {
    const server = fakeServer({ signedIn: false })
    const client = startedTab(server, { initialSession: null, idleTimeout: 300 })
    await vi.advanceTimersByTimeAsync(60 * MIN) // idle, signed out, for an hour
    await client.signIn({ email: USER.email, password: PASSWORD })
    await vi.advanceTimersByTimeAsync(MIN)
    expect(client.getState().status).toBe('authenticated')
    expect(server.count('POST /logout')).toBe(0)
  })
})

describe('signIn', () => {
  it('posts the credentials as JSON and updates the state', async () => {
    const server = fakeServer()
    const client = startedTab(server, { initialSession: null })
    const state = await client.signIn({ email: USER.email, password: PASSWORD })
    expect(state).toMatchObject({ status: 'authenticated', user: USER, expiresAt: T0 + 15 * MIN, error: null })
    expect(client.getState()).toBe(state)
    const [call] = server.calls
    expect(call).toMatchObject({ route: 'POST /login', body: { email: USER.email, password: PASSWORD } })
    expect(call?.init).toMatchObject({
      method: 'POST',
      credentials: 'include',
      headers: { accept: 'application/json', 'content-type': 'application/json' },
    })
    expect(events).toEqual([{ type: 'signed-in', at: T0, expiresAt: T0 + 15 * MIN }])
    expect(await client.getAccessToken()).toBe('at_1')
    expect(server.calls).toHaveLength(1)
    // and the new session is kept fresh
    await vi.advanceTimersByTimeAsync(14 * MIN + 30 * SEC)
    expect(server.count('POST /refresh')).toBe(1)
  })

  it.each([
    [401, 'ERR_INVALID_CREDENTIALS', 'The email or password is incorrect.', { email: USER.email, password: 'nope' }],
    [429, 'ERR_RATE_LIMITED', 'Too many attempts. Try again in 60 s.', undefined],
    [400, 'ERR_BAD_REQUEST', 'Send exactly one of the fields email, username or login.', undefined],
  ] as const)(
    'a %i sets `error` from the server and throws a BatonError with its code',
    async (status, code, message, creds) => {
      const server = fakeServer()
      if (!creds)
        server.script('POST /login', { status, body: { error: { code, message } }, headers: { 'retry-after': '60' } })
      const client = startedTab(server, { initialSession: null })
      const failure = await client.signIn(creds ?? { email: USER.email, password: PASSWORD }).catch((e: unknown) => e)
      expect(failure).toBeInstanceOf(BatonError)
      expect(isBatonError(failure, code)).toBe(true)
      expect(failure).toMatchObject({ status, message })
      expect(client.getState()).toEqual({
        status: 'unauthenticated',
        user: null,
        session: null,
        expiresAt: null,
        error: { code, message, status },
      })
      expect(await client.getAccessToken()).toBeNull()
    },
  )

  it('a failed sign-in while signed in keeps the session (e.g. re-authentication), with the error', async () => {
    const server = fakeServer({ signedIn: true })
    const client = startedTab(server, { initialSession: signedInAt(T0 + 15 * MIN) })
    await expect(client.signIn({ email: USER.email, password: 'nope' })).rejects.toMatchObject({
      code: 'ERR_INVALID_CREDENTIALS',
    })
    expect(client.getState()).toMatchObject({
      status: 'authenticated',
      user: USER,
      error: { code: 'ERR_INVALID_CREDENTIALS' },
    })
    expect(await client.getAccessToken()).toBe('at_0')
  })

  it('an unreachable server rejects with ERR_NETWORK', async () => {
    const server = fakeServer()
    server.script('POST /login', 'network')
    const client = tab(server, { initialSession: null })
    await expect(client.signIn({ email: USER.email, password: PASSWORD })).rejects.toMatchObject({
      code: 'ERR_NETWORK',
    })
    expect(client.getState().error).toMatchObject({ code: 'ERR_NETWORK' })
  })

  it('a later success clears the error', async () => {
    const server = fakeServer()
    const client = tab(server, { initialSession: null })
    await client.signIn({ email: USER.email, password: 'nope' }).catch(() => undefined)
    await client.signIn({ email: USER.email, password: PASSWORD })
    expect(client.getState()).toMatchObject({ status: 'authenticated', error: null })
  })
})

describe('signOut', () => {
  it('posts /logout, clears the state and the token, and stops refreshing', async () => {
    const server = fakeServer({ signedIn: true })
    const client = startedTab(server, { initialSession: signedInAt(T0 + 15 * MIN) })
    await client.signOut()
    expect(server.calls.map((c) => [c.route, c.body])).toEqual([['POST /logout', { everywhere: false }]])
    expect(client.getState()).toEqual({
      status: 'unauthenticated',
      user: null,
      session: null,
      expiresAt: null,
      error: null,
    })
    expect(events.map((e) => e.type)).toEqual(['signed-out'])
    expect(await client.getAccessToken()).toBeNull()
    await vi.advanceTimersByTimeAsync(60 * MIN)
    expect(server.calls).toHaveLength(1)
  })

  it('everywhere: true is passed on', async () => {
    const server = fakeServer({ signedIn: true })
    const client = tab(server, { initialSession: signedInAt(T0 + 15 * MIN) })
    await client.signOut({ everywhere: true })
    expect(server.calls[0]?.body).toEqual({ everywhere: true })
  })

  it('signs out locally even when the server cannot be reached', async () => {
    const server = fakeServer({ signedIn: true })
    server.script('POST /logout', 'network')
    const client = tab(server, { initialSession: signedInAt(T0 + 15 * MIN) })
    await client.signOut()
    expect(client.getState().status).toBe('unauthenticated')
  })
})

describe('getAccessToken', () => {
  it('returns the in-memory token while fresh, without a request', async () => {
    const server = fakeServer({ signedIn: true })
    const client = tab(server, { initialSession: signedInAt(T0 + 15 * MIN) })
    expect(await client.getAccessToken()).toBe('at_0')
    vi.setSystemTime(T0 + 14 * MIN)
    expect(await client.getAccessToken()).toBe('at_0')
    expect(server.calls).toEqual([])
  })

  it('refreshes first when the token is about to expire (within 5 s)', async () => {
    const server = fakeServer({ signedIn: true })
    const client = tab(server, { initialSession: signedInAt(T0 + 15 * MIN) })
    vi.setSystemTime(T0 + 15 * MIN - 5 * SEC)
    expect(await client.getAccessToken()).toBe('at_1')
    expect(server.calls.map((c) => c.route)).toEqual(['POST /refresh'])
  })

  it('with an initialSession lacking the token, fetches GET /session once (single flight), then not again', async () => {
    const server = fakeServer({ signedIn: true })
    const client = startedTab(server, { initialSession: serverSession(T0 + 15 * MIN) })
    const tokens = await Promise.all(Array.from({ length: 10 }, () => client.getAccessToken()))
    expect(new Set(tokens)).toEqual(new Set([server.lastToken()]))
    expect(server.calls.map((c) => c.route)).toEqual(['GET /session'])
    expect(await client.getAccessToken()).toBe(server.lastToken())
    expect(server.calls).toHaveLength(1)
  })

  it('waits for the start-up session while loading instead of sending a second request', async () => {
    const server = fakeServer({ signedIn: true })
    const client = startedTab(server)
    expect(await client.getAccessToken()).toBe(server.lastToken())
    expect(server.calls.map((c) => c.route)).toEqual(['GET /session'])
  })

  it('resolves null when signed out (loading → 401 → 401)', async () => {
    const server = fakeServer({ staleCookie: true })
    const client = tab(server)
    expect(await client.getAccessToken()).toBeNull()
    expect(await client.getAccessToken()).toBeNull()
    expect(server.calls.map((c) => c.route)).toEqual(['GET /session', 'POST /refresh'])
  })
})

describe('the token never leaves memory', () => {
  it('no cookie, localStorage or sessionStorage write through sign-in, refresh, tab sync and sign-out', async () => {
    const cookieSet = vi.spyOn(document, 'cookie', 'set')
    const setItem = vi.spyOn(Storage.prototype, 'setItem')
    const server = fakeServer()
    const client = createAuthClient({ fetch: server.fetchFor('a'), onEvent: (e) => events.push(e) })
    stops.push(client.start())
    await settle()
    await client.signIn({ email: USER.email, password: PASSWORD })
    await client.refresh()
    expect(await client.getAccessToken()).toBe('at_2')
    await vi.advanceTimersByTimeAsync(30 * MIN)
    await client.signOut()
    expect(cookieSet).not.toHaveBeenCalled()
    expect(setItem).not.toHaveBeenCalled()
    expect(document.cookie).toBe('')
    expect(localStorage.length).toBe(0)
    expect(sessionStorage.length).toBe(0)
    expect(JSON.stringify(events)).not.toMatch(/at_\d/)
  })

  it('the state the UI renders carries no token', async () => {
    const server = fakeServer()
    const client = tab(server, { initialSession: null })
    await client.signIn({ email: USER.email, password: PASSWORD })
    expect(JSON.stringify(client.getState())).not.toContain('at_1')
    expect(Object.keys(client.getState()).sort()).toEqual(['error', 'expiresAt', 'session', 'status', 'user'])
  })
})

describe('subscribe', () => {
  it('notifies on every state change and stops after unsubscribe', async () => {
    const server = fakeServer({ signedIn: true })
    const client = tab(server)
    const seen: string[] = []
    const off = client.subscribe(() => seen.push(client.getState().status))
    stops.push(client.start())
    await settle()
    await client.signOut()
    off()
    await client.signIn({ email: USER.email, password: PASSWORD })
    expect(seen).toEqual(['authenticated', 'unauthenticated'])
  })
})

describe('basePath', () => {
  it('calls the routes under basePath', async () => {
    const server = fakeServer({ signedIn: true })
    const urls: string[] = []
    const inner = server.fetchFor('a')
    const client = createAuthClient({
      basePath: '/auth',
      crossTab: false,
      fetch: (input, init) => {
        urls.push(String(input))
        return inner(String(input).replace('/auth', '/api/auth'), init)
      },
    })
    await client.getAccessToken()
    await client.signOut()
    expect(urls).toEqual(['/auth/session', '/auth/logout'])
  })
})
