import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { type AuthClient, type AuthClientEvent, type AuthClientOptions, createAuthClient } from './auth-client.js'
import { type FakeServer, fakeServer, PASSWORD, serverSession, USER } from './fake-server.fixture.js'

// `adopt()`: the client follows the session a server component rendered with (a server action
// signed in or out, `router.refresh()`), without a request of its own.

const T0 = 1_700_000_000_000
const MIN = 60_000
const HOUR = 60 * MIN

const stops: (() => void)[] = []
let events: AuthClientEvent[] = []

function tab(server: FakeServer, options: AuthClientOptions = {}, name = 'a'): AuthClient {
  return createAuthClient({
    fetch: server.fetchFor(name),
    crossTab: false,
    onEvent: (event) => events.push(event),
    ...options,
  })
}

const start = (client: AuthClient) => stops.push(client.start())
const settle = () => vi.advanceTimersByTimeAsync(0)
const withToken = (accessToken: string, expiresAt = Date.now() + 15 * MIN) => ({
  ...serverSession(expiresAt),
  accessToken,
})

beforeEach(() => {
  vi.useFakeTimers({ now: T0, toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] })
  events = []
})

afterEach(() => {
  for (const stop of stops.splice(0)) stop()
  vi.useRealTimers()
  vi.restoreAllMocks()
})

describe('adopt(null): the server saw no session', () => {
  it('a client made without a session (loading) adopts null before start: signed out, and no request for hours', async () => {
    const server = fakeServer({ signedIn: true })
    const client = tab(server)
    expect(client.getState().status).toBe('loading')
    client.adopt(null)
    start(client)
    await vi.advanceTimersByTimeAsync(3 * HOUR)
    window.dispatchEvent(new Event('focus'))
    await settle()
    expect(client.getState()).toMatchObject({ status: 'unauthenticated', error: null })
    expect(server.calls).toEqual([])
    expect(await client.getAccessToken()).toBeNull()
    expect(server.calls).toEqual([])
  })

  it('a signed-in client signs out at once (a server action signed out), with no request', async () => {
    const server = fakeServer({ signedIn: true })
    const client = tab(server, { initialSession: withToken('at_0') })
    start(client)
    client.adopt(null)
    expect(client.getState()).toMatchObject({ status: 'unauthenticated', user: null, expiresAt: null })
    expect(await client.getAccessToken()).toBeNull()
    await vi.advanceTimersByTimeAsync(HOUR)
    expect(server.calls).toEqual([])
    expect(events.map((e) => e.type)).toEqual(['signed-out'])
  })

  it.each([
    ['a live refresh cookie (a page the proxy does not cover) keeps the session', true, 'authenticated'],
    ['no refresh cookie signs out', false, 'unauthenticated'],
  ])('once its own token has expired, one POST /refresh decides: %s', async (_, cookie, status) => {
    const server = fakeServer({ signedIn: cookie })
    const client = tab(server, { initialSession: withToken('at_0', T0 + MIN) })
    await vi.advanceTimersByTimeAsync(2 * MIN)
    client.adopt(null)
    await settle()
    expect(client.getState().status).toBe(status)
    expect(server.calls.map((c) => c.route)).toEqual(['POST /refresh'])
  })

  it('a refusal (status error, a setup problem) is not hidden by a signed-out render', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined)
    const server = fakeServer({ signedIn: true })
    server.script('GET /session', { status: 403, body: { error: { code: 'ERR_CSRF', message: 'Refused.' } } })
    const client = tab(server)
    start(client)
    await settle()
    client.adopt(null)
    expect(client.getState()).toMatchObject({ status: 'error', error: { code: 'ERR_CSRF' } })
  })
})

describe('adopt(session): the server saw a session', () => {
  it('a signed-out client signs in with it (a server action signed in): its token, without a request', async () => {
    const server = fakeServer({ signedIn: true })
    const client = tab(server, { initialSession: null })
    start(client)
    client.adopt(withToken('at_server'))
    expect(client.getState()).toMatchObject({ status: 'authenticated', user: USER })
    expect(await client.getAccessToken()).toBe('at_server')
    expect(server.calls).toEqual([])
    expect(events.map((e) => e.type)).toEqual(['signed-in'])
  })

  it('without a token in it, the first token comes from GET /session', async () => {
    const server = fakeServer({ signedIn: true })
    const client = tab(server, { initialSession: null })
    client.adopt(serverSession())
    expect(await client.getAccessToken()).toBe(server.lastToken())
    expect(server.calls.map((c) => c.route)).toEqual(['GET /session'])
  })

  it('the session already held is left alone: a newer in-memory token is kept', async () => {
    const server = fakeServer({ signedIn: true })
    const client = tab(server)
    await client.signIn({ email: USER.email, password: PASSWORD })
    const held = client.getState()
    // The layout re-rendered (router.refresh) with an older picture of the same session.
    client.adopt({ ...serverSession(T0 + MIN), session: held.session })
    client.adopt(serverSession(T0 + MIN))
    expect(client.getState()).toBe(held)
    expect(await client.getAccessToken()).toBe(server.lastToken())
    expect(server.calls.map((c) => c.route)).toEqual(['POST /login'])
  })

  it('another user (or session id) replaces the session held', async () => {
    const client = tab(fakeServer(), { initialSession: withToken('at_a') })
    const other = { id: 'u2', email: 'other@baton.dev' }
    client.adopt({ user: other, accessToken: 'at_b', accessTokenExpiresAt: T0 + 10 * MIN })
    expect(client.getState()).toMatchObject({ status: 'authenticated', user: other, expiresAt: T0 + 10 * MIN })
    expect(await client.getAccessToken()).toBe('at_b')
  })

  it('a client that adopted null still signs in when asked', async () => {
    const server = fakeServer()
    const client = tab(server)
    client.adopt(null)
    start(client)
    await client.signIn({ email: USER.email, password: PASSWORD })
    expect(client.getState().status).toBe('authenticated')
  })
})

describe('other tabs', () => {
  beforeEach(() => vi.useRealTimers()) // BroadcastChannel delivers on the real clock

  async function eventually(check: () => void) {
    const until = Date.now() + 2_000
    for (;;) {
      try {
        return check()
      } catch (error) {
        if (Date.now() > until) throw error
        await new Promise((resolve) => setTimeout(resolve, 1))
      }
    }
  }

  it('a server-rendered sign-in reaches a tab that started signed out (no request there); a sign-out too', async () => {
    const server = fakeServer({ signedIn: true })
    const a = tab(server, { crossTab: true, initialSession: null }, 'a')
    const b = tab(server, { crossTab: true, initialSession: null }, 'b')
    start(a)
    start(b)
    a.adopt(withToken('at_server'))
    await eventually(() => expect(b.getState()).toMatchObject({ status: 'authenticated', user: USER }))
    expect(await b.getAccessToken()).toBe('at_server')
    a.adopt(null)
    await eventually(() => expect(b.getState().status).toBe('unauthenticated'))
    expect(server.calls).toEqual([])
  })
})

describe('credentials', () => {
  const credentialsFor = async (basePath: string) => {
    const server = fakeServer({ signedIn: true })
    const inner = server.fetchFor('a')
    const client = createAuthClient({
      basePath,
      crossTab: false,
      fetch: (input, init) => inner(new URL(String(input), location.href).pathname, init),
    })
    await client.getAccessToken()
    return server.calls.map((c) => c.init.credentials)
  }

  it("same origin (a path, or this origin's URL): 'include', which there means the same as 'same-origin'", async () => {
    expect(await credentialsFor('/api/auth')).toEqual(['include'])
    expect(await credentialsFor(`${location.origin}/api/auth`)).toEqual(['include'])
  })

  it("basePath on another origin (an SPA calling its API): 'include', or the cookies never go", async () => {
    const other = new URL(location.href).port === '3440' ? 'http://127.0.0.1:3441' : 'http://127.0.0.1:3440'
    expect(await credentialsFor(`${other}/api/auth`)).toEqual(['include'])
  })
})
