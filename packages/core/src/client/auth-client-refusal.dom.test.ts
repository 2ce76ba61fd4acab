import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from 'vitest'
import { type AuthClient, type AuthClientEvent, type AuthClientOptions, createAuthClient } from './auth-client.js'
import { type FakeServer, fakeServer, PASSWORD, type Scripted, USER } from './fake-server.fixture.js'

// A definitive refusal (any 4xx but 401, 408, 429) is a setup problem, not an
// outage: `status: 'error'` with its code, one console line, no retry. Only
// no answer, a 5xx, 408 and 429 are retried, later after each failure.

const T0 = 1_700_000_000_000
const SEC = 1_000
const MIN = 60 * SEC
const CSRF: Scripted = { status: 403, body: { error: { code: 'ERR_CSRF', message: 'Cross-site request refused.' } } }

const stops: (() => void)[] = []
let events: AuthClientEvent[] = []
let consoleError: MockInstance<typeof console.error>

function startedTab(server: FakeServer, options: AuthClientOptions = {}): AuthClient {
  const client = createAuthClient({
    fetch: server.fetchFor('a'),
    crossTab: false,
    onEvent: (event) => events.push(event),
    ...options,
  })
  stops.push(client.start())
  return client
}

const settle = () => vi.advanceTimersByTimeAsync(0)
const signedInAt = (expiresAt: number) => ({ user: USER, accessToken: 'at_0', accessTokenExpiresAt: expiresAt })
const focus = () => {
  window.dispatchEvent(new Event('focus'))
  window.dispatchEvent(new Event('online'))
  return settle()
}

beforeEach(() => {
  vi.useFakeTimers({ now: T0, toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] })
  vi.spyOn(Math, 'random').mockReturnValue(0) // no jitter unless a test sets it
  consoleError = vi.spyOn(console, 'error').mockImplementation(() => undefined)
  events = []
})

afterEach(() => {
  for (const stop of stops.splice(0)) stop()
  vi.useRealTimers()
  vi.restoreAllMocks()
})

describe('a definitive refusal', () => {
  it('behind a dev proxy (POST /refresh → 403 ERR_CSRF at start-up): status error, one request, one console line', async () => {
    const server = fakeServer({ signedIn: true })
    server.accessCookie = false // GET /session 401 → POST /refresh, which the Origin check refuses
    server.script('POST /refresh', CSRF)
    const client = startedTab(server)
    await settle()
    expect(client.getState()).toEqual({
      status: 'error',
      user: null,
      session: null,
      expiresAt: null,
      error: { code: 'ERR_CSRF', message: 'Cross-site request refused.', status: 403 },
    })
    expect(events).toEqual([
      // The refresh GET /session's 401 called for, at once, and no other tab to wait for.
      { type: 'refresh-failed', at: T0, code: 'ERR_CSRF', cause: 'session', duration: 0, lock: 'none' },
    ])
    await vi.advanceTimersByTimeAsync(30 * MIN)
    await focus()
    expect(await client.getAccessToken()).toBeNull()
    expect(server.calls.map((c) => c.route)).toEqual(['GET /session', 'POST /refresh'])
    expect(consoleError).toHaveBeenCalledTimes(1)
    const [line] = consoleError.mock.calls[0] ?? []
    expect(line).toContain('POST /api/auth/refresh refused: 403 ERR_CSRF')
    expect(line).toMatch(/changeOrigin: true.*allowedOrigins/)
  })

  it.each([
    [400, 'ERR_BAD_REQUEST', { error: { code: 'ERR_BAD_REQUEST', message: 'Bad.' } }],
    [403, 'ERR_CSRF', { error: { code: 'ERR_CSRF', message: 'Cross-site request refused.' } }],
    [404, 'ERR_NOT_FOUND', undefined], // a framework's HTML 404 page: no JSON body
    [405, 'ERR_METHOD_NOT_ALLOWED', undefined],
    [415, 'ERR_UNSUPPORTED_MEDIA_TYPE', { error: { code: 'ERR_UNSUPPORTED_MEDIA_TYPE', message: 'JSON only.' } }],
    [418, 'ERR_BAD_REQUEST', undefined],
  ] as const)('a %i during a session ends it as error %s, and nothing asks again', async (status, code, body) => {
    const server = fakeServer({ signedIn: true })
    server.script('POST /refresh', { status, body })
    const client = startedTab(server, { initialSession: signedInAt(T0 + 15 * MIN) })
    await vi.advanceTimersByTimeAsync(14 * MIN + 30 * SEC)
    expect(client.getState()).toMatchObject({ status: 'error', user: null, expiresAt: null, error: { code, status } })
    await vi.advanceTimersByTimeAsync(60 * MIN)
    await focus()
    expect(await client.getAccessToken()).toBeNull() // the token is dropped with the session
    expect(server.calls.map((c) => c.route)).toEqual(['POST /refresh'])
    expect(consoleError).toHaveBeenCalledTimes(1)
    expect(consoleError.mock.calls[0]?.[0]).toContain(`${status} ${code}`)
  })

  it('GET /session refused at start-up (404): error, with the basePath hint, and no refresh attempt', async () => {
    const server = fakeServer({ signedIn: true })
    server.script('GET /session', { status: 404 })
    const client = startedTab(server)
    await settle()
    expect(client.getState()).toMatchObject({ status: 'error', error: { code: 'ERR_NOT_FOUND', status: 404 } })
    await vi.advanceTimersByTimeAsync(60 * MIN)
    expect(server.calls.map((c) => c.route)).toEqual(['GET /session'])
    expect(consoleError.mock.calls[0]?.[0]).toMatch(/GET \/api\/auth\/session refused.*basePath/)
  })

  it('an explicit refresh() tries again: a repeat refusal rejects without a second console line; a success recovers', async () => {
    const server = fakeServer({ signedIn: true })
    server.script('POST /refresh', CSRF, CSRF)
    const client = startedTab(server, { initialSession: signedInAt(T0 + 15 * MIN) })
    await expect(client.refresh()).rejects.toMatchObject({ code: 'ERR_CSRF', status: 403 })
    await expect(client.refresh()).rejects.toMatchObject({ code: 'ERR_CSRF' })
    expect(consoleError).toHaveBeenCalledTimes(1)
    expect(client.getState().status).toBe('error')
    expect(await client.refresh()).toBe('at_1')
    expect(client.getState()).toMatchObject({ status: 'authenticated', user: USER, error: null })
    await vi.advanceTimersByTimeAsync(14 * MIN + 30 * SEC) // proactive refresh is back
    expect(server.count('POST /refresh')).toBe(4)
  })

  it('signIn() after a refusal signs in; signOut() leaves the error state for signed out', async () => {
    const server = fakeServer({ staleCookie: true })
    server.script('POST /refresh', CSRF)
    const client = startedTab(server)
    await settle()
    expect(client.getState().status).toBe('error')
    await client.signIn({ email: USER.email, password: PASSWORD })
    expect(client.getState()).toMatchObject({ status: 'authenticated', error: null })
    await client.signOut()
    expect(client.getState()).toMatchObject({ status: 'unauthenticated', error: null })
  })

  it('a sign-in refused for set-up reasons (ERR_CSRF) rejects, keeps the state, and says what to fix once', async () => {
    const server = fakeServer()
    server.script('POST /login', CSRF)
    const client = startedTab(server)
    await settle()
    expect(client.getState().status).toBe('unauthenticated')
    await expect(client.signIn({ email: USER.email, password: PASSWORD })).rejects.toMatchObject({ code: 'ERR_CSRF' })
    expect(client.getState()).toMatchObject({ status: 'unauthenticated', error: { code: 'ERR_CSRF', status: 403 } })
    expect(consoleError).toHaveBeenCalledTimes(1)
    expect(String(consoleError.mock.calls[0]?.[0])).toMatch(
      /POST \/api\/auth\/login refused: 403 ERR_CSRF.*allowedOrigins/,
    )
  })

  it('a sign-in refused for the credentials (401) or the rate (429) logs nothing', async () => {
    const server = fakeServer()
    server.script('POST /login', { status: 429, body: { error: { code: 'ERR_RATE_LIMITED', message: 'Slow down.' } } })
    const client = startedTab(server)
    await settle()
    await expect(client.signIn({ email: USER.email, password: 'wrong' })).rejects.toMatchObject({
      code: 'ERR_RATE_LIMITED',
    })
    await expect(client.signIn({ email: USER.email, password: 'wrong' })).rejects.toMatchObject({
      code: 'ERR_INVALID_CREDENTIALS',
    })
    expect(consoleError).not.toHaveBeenCalled()
  })

  it('a 401 is no refusal: signed out as before, quietly', async () => {
    const server = fakeServer({ signedIn: true })
    server.script('POST /refresh', {
      status: 401,
      body: { error: { code: 'ERR_SESSION_REVOKED', message: 'Revoked.' } },
    })
    const client = startedTab(server, { initialSession: signedInAt(T0 + 15 * MIN) })
    await vi.advanceTimersByTimeAsync(14 * MIN + 30 * SEC)
    expect(client.getState()).toMatchObject({ status: 'unauthenticated', error: { code: 'ERR_SESSION_REVOKED' } })
    expect(consoleError).not.toHaveBeenCalled()
  })
})

describe('transient failures are retried with backoff', () => {
  const unavailable = (status: number): Scripted => ({
    status,
    body: { error: { code: 'ERR_UPSTREAM_UNAVAILABLE', message: 'Try again.' } },
  })

  it.each([
    ['a 503', unavailable(503)],
    ['a 500', unavailable(500)],
    ['a 408', { status: 408 }],
    [
      'a 429 without Retry-After',
      { status: 429, body: { error: { code: 'ERR_RATE_LIMITED', message: 'Slow down.' } } },
    ],
    ['a network error', 'network'],
  ] as [string, Scripted][])('%s: 5 s, 10 s, 20 s, 40 s, then at most 60 s apart', async (_, reply) => {
    const server = fakeServer({ signedIn: true })
    server.script('POST /refresh', ...Array.from({ length: 6 }, () => reply))
    const client = startedTab(server, { initialSession: signedInAt(T0 + 15 * MIN) })
    await vi.advanceTimersByTimeAsync(14 * MIN + 30 * SEC)
    expect(server.count('POST /refresh')).toBe(1)
    for (const [n, wait] of [5, 10, 20, 40, 60, 60].entries()) {
      await vi.advanceTimersByTimeAsync(wait * SEC - 1)
      expect(server.count('POST /refresh')).toBe(n + 1)
      await vi.advanceTimersByTimeAsync(1)
      expect(server.count('POST /refresh')).toBe(n + 2)
    }
    expect(client.getState()).toMatchObject({ status: 'authenticated', error: null })
    expect(consoleError).not.toHaveBeenCalled()
  })

  it.each([429, 503])("a %i's Retry-After is honoured", async (status) => {
    const server = fakeServer({ signedIn: true })
    server.script('POST /refresh', { status, headers: { 'retry-after': '30' } })
    const client = startedTab(server, { initialSession: signedInAt(T0 + 15 * MIN) })
    await vi.advanceTimersByTimeAsync(14 * MIN + 30 * SEC)
    expect(client.getState()).toMatchObject({ status: 'authenticated', error: { status } })
    await vi.advanceTimersByTimeAsync(30 * SEC - 1)
    expect(server.count('POST /refresh')).toBe(1)
    await vi.advanceTimersByTimeAsync(1)
    expect(server.count('POST /refresh')).toBe(2)
  })

  it('while loading, GET /session failures are retried the same way and the state stays loading', async () => {
    const server = fakeServer({ signedIn: true })
    server.script('GET /session', { status: 502 }, 'network')
    const client = startedTab(server)
    await settle()
    expect(client.getState()).toMatchObject({ status: 'loading', error: { code: 'ERR_NETWORK', status: 502 } })
    await vi.advanceTimersByTimeAsync(5 * SEC)
    expect(server.count('GET /session')).toBe(2)
    await vi.advanceTimersByTimeAsync(10 * SEC - 1)
    expect(server.count('GET /session')).toBe(2)
    await vi.advanceTimersByTimeAsync(1)
    expect(client.getState()).toMatchObject({ status: 'authenticated', error: null })
  })

  it('jitter takes up to half of each delay off', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.999)
    const server = fakeServer({ signedIn: true })
    server.script('POST /refresh', 'network', 'network')
    startedTab(server, { initialSession: signedInAt(T0 + 15 * MIN) })
    await vi.advanceTimersByTimeAsync(14 * MIN + 30 * SEC)
    await vi.advanceTimersByTimeAsync(2_400)
    expect(server.count('POST /refresh')).toBe(1)
    await vi.advanceTimersByTimeAsync(200) // 5 s less ~half
    expect(server.count('POST /refresh')).toBe(2)
    await vi.advanceTimersByTimeAsync(5_100) // 10 s less ~half
    expect(server.count('POST /refresh')).toBe(3)
  })
})
