/**
 * A stand-in for `@baton/next`'s `/api/auth` routes, for the browser client's
 * DOM tests only: it answers with the same JSON bodies and error format
 * (`{ error: { code, message } }`) and records every call. The real server
 * path is covered by the Playwright suite in `apps/e2e`.
 */

export const USER = { id: 'u1', email: 'demo@baton.dev', name: 'Demo' }
export const PASSWORD = 'correct-horse-battery-staple'

export type Route = 'POST /login' | 'POST /refresh' | 'POST /logout' | 'GET /session'

/** A scripted answer: a status and body, a network failure, or either after `gate` resolves. */
export type Scripted = { status: number; body?: unknown; headers?: Record<string, string> } | 'network'

export interface Call {
  route: string
  tab: string
  body: unknown
  init: RequestInit
}

export interface FakeServer {
  calls: Call[]
  /** Whether the browser holds a valid refresh cookie (shared by every tab). */
  signedIn: boolean
  /** Whether the access cookie is present and valid (for `GET /session`). */
  accessCookie: boolean
  /** A refresh cookie the server refuses (signed out elsewhere, expired): `GET /session` cannot tell. */
  staleCookie: boolean
  /** Access-token lifetime, ms. */
  ttl: number
  /** Answers the next call to `route` with `reply` instead of the default. */
  script(route: Route, ...replies: Scripted[]): void
  /** Holds every call to `route` until the returned function is called. */
  hold(route: Route): () => void
  /** The `fetch` one tab uses; calls are tagged with `tab`. */
  fetchFor(tab: string): typeof fetch
  count(route: Route, tab?: string): number
  /** The last access token issued. */
  lastToken(): string | undefined
}

/**
 * A minimal `Response` (what the client reads: `ok`, `status`, `headers`, `json()`),
 * resolved in microtasks only so fake timers stay in control.
 */
const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  ({
    ok: status >= 200 && status < 300,
    status,
    headers: new Headers({
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
      ...headers,
    }),
    json: async () => {
      if (body === undefined) throw new SyntaxError('Unexpected end of JSON input')
      return JSON.parse(JSON.stringify(body))
    },
  }) as Response

const error = (status: number, code: string, message: string, headers?: Record<string, string>) =>
  json(status, { error: { code, message } }, headers)

export function fakeServer(options: { signedIn?: boolean; staleCookie?: boolean; ttl?: number } = {}): FakeServer {
  let serial = 0
  let token: string | undefined
  let expiresAt = 0
  const scripted = new Map<string, Scripted[]>()
  const holds = new Map<string, Promise<void>>()
  const sessionInfo = () => ({
    id: 'sess_1',
    createdAt: 1,
    lastUsedAt: Date.now(),
    expiresAt: Date.now() + 7 * 86_400_000,
    absoluteExpiresAt: Date.now() + 30 * 86_400_000,
    userAgent: 'happy-dom',
    ip: null,
    deviceId: null,
    current: true,
  })
  const issue = () => {
    token = `at_${++serial}`
    expiresAt = Date.now() + server.ttl
    server.accessCookie = true
    return { user: USER, accessToken: token, accessTokenExpiresAt: expiresAt, session: sessionInfo() }
  }

  async function answer(route: string, body: unknown): Promise<Response> {
    const queued = scripted.get(route)?.shift()
    if (queued === 'network') throw new TypeError('Failed to fetch')
    if (queued) return json(queued.status, queued.body, queued.headers)
    switch (route) {
      case 'POST /login': {
        const { email, password } = (body ?? {}) as Record<string, string>
        if (email !== USER.email || password !== PASSWORD)
          return error(401, 'ERR_INVALID_CREDENTIALS', 'The email or password is incorrect.')
        server.signedIn = true
        return json(200, issue())
      }
      case 'POST /refresh':
        if (!server.signedIn) return error(401, 'ERR_REFRESH_TOKEN_MISSING', 'No refresh cookie: sign in.')
        return json(200, issue())
      case 'POST /logout': {
        const revoked = server.signedIn ? 1 : 0
        server.signedIn = false
        server.accessCookie = false
        return json(200, { ok: true, revoked })
      }
      case 'GET /session':
        // As @baton/next answers: no cookie at all says there is nothing to refresh either.
        if (!server.signedIn && !server.accessCookie && !server.staleCookie)
          return error(401, 'ERR_REFRESH_TOKEN_MISSING', 'No session: sign in.')
        if (!server.signedIn || !server.accessCookie) return error(401, 'ERR_UNAUTHENTICATED', 'Sign in first.')
        if (!token) issue()
        return json(200, { user: USER, session: sessionInfo(), accessToken: token, accessTokenExpiresAt: expiresAt })
      default:
        return error(404, 'ERR_NOT_FOUND', 'No such route.')
    }
  }

  const server: FakeServer = {
    calls: [],
    signedIn: options.signedIn ?? false,
    accessCookie: options.signedIn ?? false,
    staleCookie: options.staleCookie ?? false,
    ttl: options.ttl ?? 15 * 60_000,
    script(route, ...replies) {
      scripted.set(route, [...(scripted.get(route) ?? []), ...replies])
    },
    hold(route) {
      let release = () => {}
      holds.set(
        route,
        new Promise<void>((resolve) => {
          release = resolve
        }),
      )
      return () => {
        holds.delete(route)
        release()
      }
    },
    fetchFor(tab) {
      return (async (input: RequestInfo | URL, init: RequestInit = {}) => {
        const url = new URL(String(input), 'http://localhost')
        const route = `${init.method ?? 'GET'} ${url.pathname.replace(/^\/api\/auth/, '')}`
        const body = typeof init.body === 'string' ? JSON.parse(init.body) : undefined
        server.calls.push({ route, tab, body, init })
        await holds.get(route)
        return answer(route, body)
      }) as typeof fetch
    },
    count: (route, tab) => server.calls.filter((c) => c.route === route && (tab === undefined || c.tab === tab)).length,
    lastToken: () => token,
  }
  return server
}

/** A session as a server component would pass it (`baton.session()`): no access token. */
export const serverSession = (expiresAt = Date.now() + 15 * 60_000) => ({ user: USER, accessTokenExpiresAt: expiresAt })

/**
 * A `navigator.locks` with a real FIFO queue per name: `request(name, { signal }, cb)`
 * waits its turn, is removed from the queue when `signal` aborts, and holds the
 * lock until `cb`'s promise settles. Grants happen in a microtask after release,
 * which is as early as any implementation could grant.
 */
export function fakeLocks() {
  const queues = new Map<string, { grant: () => void }[]>()
  const held = new Set<string>()
  let grants = 0
  const next = (name: string) => {
    const waiter = queues.get(name)?.shift()
    if (waiter) waiter.grant()
    else held.delete(name)
  }
  const locks = {
    get grants() {
      return grants
    },
    isHeld: (name: string) => held.has(name),
    request<T>(name: string, options: { signal?: AbortSignal }, callback: () => Promise<T> | T): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        const run = () => {
          grants++
          Promise.resolve()
            .then(callback)
            .then(resolve, reject)
            .finally(() => queueMicrotask(() => next(name)))
        }
        if (options.signal?.aborted) return reject(options.signal.reason)
        if (!held.has(name)) {
          held.add(name)
          return run()
        }
        const waiter = {
          grant: () => {
            options.signal?.removeEventListener('abort', onAbort)
            run()
          },
        }
        const onAbort = () => {
          const queue = queues.get(name) ?? []
          queue.splice(queue.indexOf(waiter), 1)
          reject(options.signal?.reason)
        }
        options.signal?.addEventListener('abort', onAbort, { once: true })
        queues.set(name, [...(queues.get(name) ?? []), waiter])
      })
    },
  }
  return locks
}

/** The platform's timer, captured before a test fakes timers. */
const realSetTimeout = globalThis.setTimeout
/** Waits on the real clock (BroadcastChannel delivery), whatever the fake timers do. */
export const realSleep = (ms: number): Promise<unknown> => new Promise((resolve) => realSetTimeout(resolve, ms))

/** Polls on the real clock; fails after `timeout` ms (generous: CI machines are shared and busy). */
export async function eventually(check: () => void, timeout = 2_000): Promise<void> {
  const until = performance.now() + timeout
  for (;;) {
    try {
      return check()
    } catch (error) {
      if (performance.now() > until) throw error
      await realSleep(1)
    }
  }
}
