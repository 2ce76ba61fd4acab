import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { isBatonError } from '../errors.js'
import { createAuthClient, type NativeAuthClient } from './native-client.js'
import { PASSWORD, startTokenServer, type TokenServer, USER } from './token-server.fixture.js'
import { memoryTokenStorage, type TokenStorage } from './token-storage.js'

const KEY = 'baton.refreshToken'
let server: TokenServer
let credentials: (RequestCredentials | undefined)[]
const stops: (() => void)[] = []

/** The global fetch, noting the `credentials` of every call. */
const recordingFetch: typeof fetch = (input, init) => {
  credentials.push(init?.credentials)
  return fetch(input, init)
}

function client(tokenStorage: TokenStorage): NativeAuthClient {
  return createAuthClient({ basePath: server.base, tokenStorage, fetch: recordingFetch })
}

async function signedIn(tokenStorage: TokenStorage = memoryTokenStorage()): Promise<NativeAuthClient> {
  const c = client(tokenStorage)
  await c.signIn({ email: USER.email, password: PASSWORD })
  return c
}

beforeEach(async () => {
  server = await startTokenServer()
  credentials = []
})
afterEach(async () => {
  for (const stop of stops.splice(0)) stop()
  vi.unstubAllGlobals()
  await server.close()
})

describe('native client on the token transport (real HTTP server)', () => {
  it('signs in: the refresh token goes to storage, every request says token transport and carries no cookie', async () => {
    const storage = memoryTokenStorage()
    const c = await signedIn(storage)
    expect(c.getState()).toMatchObject({ status: 'authenticated', user: USER })
    expect(await storage.get(KEY)).toBe(server.liveRefreshToken())
    expect((await c.fetch(server.api)).status).toBe(200)
    expect(server.seen.map((s) => [s.route, s.transport, s.cookie])).toEqual([
      ['POST /login', 'token', undefined],
      ['GET /api/me', undefined, undefined],
    ])
    expect(server.seen[1]?.authorization).toBe(`Bearer ${await c.getAccessToken()}`)
    expect(credentials).toEqual(['omit', 'omit'])
  })

  it("fetch() to Baton's own routes (the device list) says token transport too; to the app's API it does not", async () => {
    const c = await signedIn()
    const answer = await c.fetch(`${server.base}/sessions`)
    expect(await answer.json()).toMatchObject({ sessions: [{ id: 'sess_1' }] })
    expect(server.seen.at(-1)).toMatchObject({ route: 'GET /sessions', transport: 'token', cookie: undefined })
    expect(server.seen.at(-1)?.authorization).toMatch(/^Bearer at_/)
  })

  it('several concurrent calls answered 401 make one refresh, each retried once with the new token', async () => {
    const storage = memoryTokenStorage()
    const c = await signedIn(storage)
    const first = await storage.get(KEY)
    server.expireAccessTokens()
    server.refreshDelay = 50
    const answers = await Promise.all(Array.from({ length: 6 }, () => c.fetch(server.api)))
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200, 200])
    expect(server.count('POST /refresh')).toBe(1)
    expect(server.seen.find((s) => s.route === 'POST /refresh')?.body).toEqual({ refreshToken: first })
    expect(await storage.get(KEY)).toBe(server.liveRefreshToken())
    expect(await storage.get(KEY)).not.toBe(first)
  })

  it('a 503 on refresh keeps the session and the stored token; the next refresh succeeds with it', async () => {
    const storage = memoryTokenStorage()
    const c = await signedIn(storage)
    const stored = await storage.get(KEY)
    server.failRefresh = 503
    const failure = await c.refresh().catch((error: unknown) => error)
    expect(isBatonError(failure, 'ERR_STORE_UNAVAILABLE')).toBe(true)
    expect(c.getState()).toMatchObject({ status: 'authenticated', error: { status: 503 } })
    expect(await storage.get(KEY)).toBe(stored)
    server.failRefresh = null
    expect(await c.refresh()).toMatch(/^at_/)
    expect(c.getState()).toMatchObject({ status: 'authenticated', error: null })
    expect(server.count('POST /refresh')).toBe(2)
  })

  it('no answer at all keeps the session too (a network error is not a sign-out)', async () => {
    const storage = memoryTokenStorage()
    const c = await signedIn(storage)
    const stored = await storage.get(KEY)
    await server.close()
    const failure = await c.refresh().catch((error: unknown) => error)
    expect(isBatonError(failure, 'ERR_NETWORK')).toBe(true)
    expect(c.getState().status).toBe('authenticated')
    expect(await storage.get(KEY)).toBe(stored)
    server = await startTokenServer() // for afterEach
  })

  it('a restart (new client, same storage) resumes with one refresh, no GET /session, no sign-in', async () => {
    const storage = memoryTokenStorage()
    await signedIn(storage)
    const restarted = client(storage)
    expect(restarted.getState().status).toBe('loading')
    expect(await restarted.getAccessToken()).toMatch(/^at_/)
    expect(restarted.getState()).toMatchObject({ status: 'authenticated', user: USER })
    expect(server.seen.map((s) => s.route)).toEqual(['POST /login', 'POST /refresh'])
    expect((await restarted.fetch(server.api)).status).toBe(200)
  })

  it('with nothing stored, a new client is signed out without a request', async () => {
    const c = client(memoryTokenStorage())
    expect(await c.getAccessToken()).toBeNull()
    expect(c.getState()).toMatchObject({ status: 'unauthenticated', error: null })
    expect(server.seen).toEqual([])
  })

  it('a terminal 401 (a reused token: the family is revoked) clears the storage and signs out', async () => {
    const storage = memoryTokenStorage()
    const c = await signedIn(storage)
    const stolen = (await storage.get(KEY)) as string
    await c.refresh() // the owner rotates; `stolen` is now spent
    await storage.set(KEY, stolen)
    const failure = await c.refresh().catch((error: unknown) => error)
    expect(failure).toBeNull() // refresh() resolves null once the session is gone
    expect(c.getState()).toMatchObject({ status: 'unauthenticated', error: { code: 'ERR_REFRESH_TOKEN_REUSED' } })
    expect(await storage.get(KEY)).toBeNull()
    expect(await c.getAccessToken()).toBeNull()
  })

  it('saves the rotated refresh token before the new access token is used', async () => {
    const order: string[] = []
    const memory = memoryTokenStorage()
    const slow: TokenStorage = {
      get: (key) => memory.get(key),
      async set(key, value) {
        await new Promise((resolve) => setTimeout(resolve, 30))
        await memory.set(key, value)
        order.push('saved')
      },
      delete: (key) => memory.delete(key),
    }
    const c = await signedIn(slow)
    server.expireAccessTokens()
    const fetching = c.fetch(server.api)
    await vi.waitFor(() => expect(server.count('GET /api/me')).toBe(2), { timeout: 2_000 })
    order.push('used')
    await fetching
    expect(order).toEqual(['saved', 'saved', 'used'])
    expect(await memory.get(KEY)).toBe(server.liveRefreshToken())
  })

  it('signs out with the refresh token in the body and the access token as Bearer, and forgets it', async () => {
    const storage = memoryTokenStorage()
    const c = await signedIn(storage)
    const [refreshToken, accessToken] = [await storage.get(KEY), await c.getAccessToken()]
    await c.signOut({ everywhere: true })
    const logout = server.seen.find((s) => s.route === 'POST /logout')
    expect(logout).toMatchObject({ transport: 'token', authorization: `Bearer ${accessToken}` })
    expect(logout?.body).toEqual({ everywhere: true, refreshToken })
    expect(await storage.get(KEY)).toBeNull()
    expect(c.getState().status).toBe('unauthenticated')
    expect(server.liveRefreshToken()).toBeUndefined()
  })

  it('a server without the token transport (no refreshToken in the answer) is a setup error, not a session', async () => {
    server.cookieOnly = true
    const c = client(memoryTokenStorage())
    const failure = await c.signIn({ email: USER.email, password: PASSWORD }).catch((error: unknown) => error)
    expect(isBatonError(failure, 'ERR_BAD_REQUEST')).toBe(true)
    expect((failure as Error).message).toMatch(/token transport enabled/)
    expect(c.getState().status).not.toBe('authenticated')
  })

  it('never touches BroadcastChannel or Web Locks, and starts cleanly where they and the DOM are absent', async () => {
    vi.stubGlobal('BroadcastChannel', undefined)
    vi.stubGlobal('navigator', undefined)
    vi.stubGlobal('window', undefined)
    const storage = memoryTokenStorage()
    await signedIn(storage)
    const c = client(storage)
    stops.push(c.start())
    await vi.waitFor(() => expect(c.getState().status).toBe('authenticated'), { timeout: 2_000 })
    expect(server.count('POST /refresh')).toBe(1)
  })

  it('opens no BroadcastChannel even where Node has one', async () => {
    const opened = vi.fn()
    vi.stubGlobal(
      'BroadcastChannel',
      class {
        constructor() {
          opened()
        }
      },
    )
    const c = await signedIn()
    stops.push(c.start())
    await c.refresh()
    expect(opened).not.toHaveBeenCalled()
  })
})
