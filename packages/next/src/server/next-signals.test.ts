/**
 * Next.js steers rendering by throwing (`redirect()`, `notFound()`, a Cache
 * Components prerender that stops where request data is read…). Every Baton
 * helper that catches errors must let those through untouched (issue 14 §2:
 * `withAuth` answered a build's prerender interrupt with a logged 503).
 * The signals here are made by the real Next 16 and Next 15 (the fixture
 * apps' installs), not imitated.
 */
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { BatonError } from '@baton/core'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { openSqliteFile, type SqlBackend, signedIn } from '../proxy/sql-backends.fixture.js'
import { ORIGIN, testBaton } from '../test-app.fixture.js'
import { createStorelessUpstream } from '../upstream/storeless/create-storeless-upstream.js'
import { isNextSignal, nextSignal, nullUnlessNextSignal, rethrowNextSignal } from './next-signals.js'
import { enterRequest, scope } from './request-scope.fixture.js'

vi.mock('next/headers', async () => (await import('./request-scope.fixture.js')).nextHeaders)
vi.mock('next/navigation', async () => (await import('./request-scope.fixture.js')).nextNavigation)
vi.mock('next/cache', async () => (await import('./request-scope.fixture.js')).nextCache)

const HERE = dirname(fileURLToPath(import.meta.url))
const INSTALLS = {
  'Next 16': join(HERE, '..', '..', 'package.json'),
  'Next 15': join(HERE, '..', '..', 'fixture-next15', 'package.json'),
}

type Rethrow = (error: unknown) => void

/** What `fn` throws (the test fails if it returns). */
function thrownBy(fn: () => unknown): unknown {
  try {
    fn()
  } catch (error) {
    return error
  }
  throw new Error('did not throw')
}

/** What one Next install throws for control flow, and its own `unstable_rethrow`. */
async function nextInstall(packageJson: string) {
  const load = createRequire(packageJson)
  const version: string = load('next/package.json').version
  const navigation = load('next/dist/client/components/navigation.react-server.js')
  const rendering = load('next/dist/server/app-render/dynamic-rendering.js')
  const utils = load('next/dist/server/dynamic-rendering-utils.js')
  const { DynamicServerError } = load('next/dist/client/components/hooks-server-context.js')
  const { BailoutToCSRError } = load('next/dist/shared/lib/lazy-dynamic/bailout-to-csr.js')
  const { StaticGenBailoutError } = load('next/dist/client/components/static-generation-bailout.js')
  const { HTTP_ERROR_FALLBACK_ERROR_CODE } = load(
    'next/dist/client/components/http-access-fallback/http-access-fallback.js',
  )
  // A request-data promise of an aborted prerender (`cookies()` in a Cache Components build).
  const aborted = new AbortController()
  const hanging = (utils.makeDynamicHangingPromise ?? utils.makeHangingPromise)(aborted.signal, '/x', '`cookies()`')
  aborted.abort()
  const signals: Record<string, unknown> = {
    'redirect()': thrownBy(() => navigation.redirect('/login')),
    'permanentRedirect()': thrownBy(() => navigation.permanentRedirect('/login')),
    'notFound()': thrownBy(() => navigation.notFound()),
    // forbidden() and unauthorized() need `experimental.authInterrupts`; this is what they throw then.
    'forbidden()': Object.assign(new Error('NEXT_HTTP_ERROR_FALLBACK;403'), {
      digest: `${HTTP_ERROR_FALLBACK_ERROR_CODE};403`,
    }),
    'unauthorized()': Object.assign(new Error('NEXT_HTTP_ERROR_FALLBACK;401'), {
      digest: `${HTTP_ERROR_FALLBACK_ERROR_CODE};401`,
    }),
    // What reading `request.headers` in a route handler throws while Cache Components prerender it.
    'prerender interrupted (request.headers)': thrownBy(() =>
      rendering.abortAndThrowOnSynchronousRequestDataAccess('/api/me', 'request.headers', new Error(), {
        type: 'prerender',
        controller: new AbortController(),
        dynamicTracking: null,
      }),
    ),
    'hanging promise rejection': await hanging.then(
      () => null,
      (error: unknown) => error,
    ),
    'dynamic server usage (Cache Components off)': new DynamicServerError('headers'),
    'bail out to client rendering': new BailoutToCSRError('useSearchParams()'),
    "dynamic = 'error' bail-out": new StaticGenBailoutError('Route /x with `dynamic = "error"` used headers()'),
  }
  const nextRethrows = (error: unknown): boolean => {
    try {
      ;(load('next/dist/client/components/unstable-rethrow.js').unstable_rethrow as Rethrow)(error)
      return false
    } catch (rethrown) {
      expect(rethrown).toBe(nextSignal(error))
      return true
    }
  }
  return { version, signals, nextRethrows }
}

const installs = await Promise.all(
  Object.entries(INSTALLS)
    .filter(([, path]) => existsSync(join(dirname(path), 'node_modules', 'next')))
    .map(async ([name, path]) => ({ name, ...(await nextInstall(path)) })),
)

const notSignals: [string, unknown][] = [
  ['an Error', new Error('boom')],
  ['a BatonError', new BatonError('ERR_STORE_UNAVAILABLE', 'down')],
  ['an Error with an unknown digest', Object.assign(new Error('x'), { digest: '12345' })],
  ['a look-alike digest', Object.assign(new Error('x'), { digest: 'NEXT_REDIRECTED' })],
  ['a string', 'NEXT_REDIRECT'],
  ['null', null],
  ['undefined', undefined],
]

describe.each(installs)('$name ($version): what Next throws for control flow', ({ signals, nextRethrows }) => {
  it.each(Object.entries(signals))('%s is a signal, rethrown untouched', (_, signal) => {
    expect(isNextSignal(signal)).toBe(true)
    expect(thrownBy(() => rethrowNextSignal(signal))).toBe(signal)
    expect(thrownBy(() => nullUnlessNextSignal(signal))).toBe(signal)
  })

  it.each(Object.entries(signals))('%s wrapped as a cause: the signal itself is rethrown', (_, signal) => {
    const wrapped = new BatonError('ERR_STORE_UNAVAILABLE', 'The store failed.', {
      cause: new Error('driver', { cause: signal }),
    })
    expect(nextSignal(wrapped)).toBe(signal)
    expect(thrownBy(() => rethrowNextSignal(wrapped))).toBe(signal)
  })

  it('recognises at least everything its own unstable_rethrow does', () => {
    for (const signal of Object.values(signals)) if (nextRethrows(signal)) expect(isNextSignal(signal)).toBe(true)
    for (const [, other] of notSignals) expect(nextRethrows(other)).toBe(false)
  })
})

it('Next 15’s unstable_rethrow misses the Cache Components prerender interrupt; Baton does not', () => {
  const next15 = installs.find((i) => i.name === 'Next 15')
  if (!next15) return
  const interrupt = next15.signals['prerender interrupted (request.headers)']
  expect(next15.nextRethrows(interrupt)).toBe(false)
  expect(isNextSignal(interrupt)).toBe(true)
})

it('React’s postpone (partial prerendering) is a signal', () => {
  const postpone = Object.assign(new Error('postponed'), { $$typeof: Symbol.for('react.postpone') })
  expect(thrownBy(() => rethrowNextSignal(postpone))).toBe(postpone)
})

it.each(notSignals)('%s is not a signal', (_, error) => {
  expect(isNextSignal(error)).toBe(false)
  expect(rethrowNextSignal(error)).toBeUndefined()
  expect(nullUnlessNextSignal(error)).toBeNull()
})

it('a cycle of causes ends', () => {
  const a = new Error('a')
  const b = new Error('b', { cause: a })
  Object.assign(a, { cause: b })
  expect(isNextSignal(a)).toBe(false)
})

// ---------------------------------------------------------------------------
// Every helper lets them through

const AT = '__Host-baton.at'
const RT = '__Host-baton.rt'
const next16 = installs[0]
if (!next16) throw new Error('next is not installed')
const REDIRECT = next16.signals['redirect()']
const NOT_FOUND = next16.signals['notFound()']
const INTERRUPT = next16.signals['prerender interrupted (request.headers)']
const HANGING = next16.signals['hanging promise rejection']

/** A route handler's request while Cache Components prerender it: reading the headers stops the prerender. */
function prerenderRequest(path: string, method = 'GET'): Request {
  const request = new Request(new URL(path, ORIGIN), { method })
  return new Proxy(request, {
    get(target, key) {
      if (key === 'headers') throw INTERRUPT
      const value = Reflect.get(target, key, target)
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
}

let backend: SqlBackend
let logged: ReturnType<typeof vi.spyOn>
beforeAll(() => {
  backend = openSqliteFile()
})
afterAll(async () => backend.close())
beforeEach(() => {
  enterRequest({ host: 'app.test', origin: ORIGIN })
  logged = vi.spyOn(console, 'error').mockImplementation(() => {})
})
afterEach(() => {
  const calls = [...logged.mock.calls]
  vi.restoreAllMocks()
  // Nothing Next does on purpose is logged as a failure.
  expect(calls).toEqual([])
})

describe('withAuth', () => {
  it('rethrows the prerender interrupt of reading request.headers (was: a logged 503)', async () => {
    const { baton } = await testBaton(backend.store)
    const handler = vi.fn(() => Response.json({}))
    await expect(baton.withAuth(handler)(prerenderRequest('/api/me'), {})).rejects.toBe(INTERRUPT)
    expect(handler).not.toHaveBeenCalled()
  })

  it.each([
    ['redirect()', REDIRECT],
    ['notFound()', NOT_FOUND],
    [
      'a BatonError caused by a hanging request-data promise',
      new BatonError('ERR_UPSTREAM_UNAVAILABLE', 'x', { cause: HANGING }),
    ],
  ])('rethrows %s from the handler untouched', async (_, thrown) => {
    const { baton } = await testBaton(backend.store)
    const s = await signedIn(baton)
    const route = baton.withAuth(() => {
      throw thrown
    })
    const request = new Request(`${ORIGIN}/api/me`, { headers: { cookie: `${AT}=${s.access}` } })
    await expect(route(request, {})).rejects.toBe(nextSignal(thrown))
  })

  it('still answers a BatonError that is not a signal as JSON', async () => {
    const { baton } = await testBaton(backend.store)
    const s = await signedIn(baton)
    const route = baton.withAuth(() => {
      throw new BatonError('ERR_UPSTREAM_UNAVAILABLE', 'down')
    })
    const request = new Request(`${ORIGIN}/api/me`, { headers: { cookie: `${AT}=${s.access}` } })
    expect((await route(request, {})).status).toBe(503)
  })
})

describe('session() and requireSession()', () => {
  it('rethrow a signal the store check hits (the engine wraps it as the cause of ERR_STORE_UNAVAILABLE)', async () => {
    const { baton } = await testBaton(backend.store)
    const s = await signedIn(baton)
    enterRequest({ cookie: `${AT}=${s.access}` })
    vi.spyOn(backend.store, 'getSession').mockRejectedValue(HANGING)
    await expect(baton.session({ strict: true })).rejects.toBe(HANGING)
    await expect(baton.requireSession({ strict: true })).rejects.toBe(HANGING)
  })

  it('call io() before reading the clock, and neither without a token', async () => {
    const { baton, clock } = await testBaton(backend.store)
    const s = await signedIn(baton)
    const order: string[] = []
    scope.io = async () => {
      order.push('io()')
    }
    const now = clock.now
    vi.spyOn(clock, 'now').mockImplementation(() => {
      order.push('clock')
      return now()
    })
    enterRequest({ cookie: `${AT}=${s.access}` })
    scope.io = async () => {
      order.push('io()')
    }
    expect((await baton.session())?.sessionId).toBe(s.issued.session.id)
    expect(order[0]).toBe('io()')
    expect(order).toContain('clock')

    order.length = 0
    enterRequest({ cookie: 'theme=dark' })
    expect(await baton.session()).toBeNull()
    await expect(baton.requireSession()).rejects.toThrow(/redirect to \/login/)
    expect(order).toEqual([])
  })
})

describe('the auth routes', () => {
  it('rethrow the prerender interrupt of a GET route read at build', async () => {
    const { baton } = await testBaton(backend.store)
    await expect(baton.handlers.GET(prerenderRequest('/api/auth/session'))).rejects.toBe(INTERRUPT)
  })

  it('rethrow redirect() from authenticate (was: a logged 503)', async () => {
    const { baton } = await testBaton(backend.store, {
      authenticate() {
        throw REDIRECT
      },
    })
    const login = new Request(`${ORIGIN}/api/auth/login`, {
      method: 'POST',
      headers: { origin: ORIGIN, 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'ada@example.com', password: 'x' }),
    })
    await expect(baton.handlers.POST(login)).rejects.toBe(REDIRECT)
  })

  it('POST /refresh rethrows a signal the store hits', async () => {
    const { baton } = await testBaton(backend.store)
    const s = await signedIn(baton)
    vi.spyOn(backend.store, 'findRefreshToken').mockRejectedValue(HANGING)
    const refresh = new Request(`${ORIGIN}/api/auth/refresh`, {
      method: 'POST',
      headers: { origin: ORIGIN, cookie: `${RT}=${s.refresh}` },
    })
    await expect(baton.handlers.POST(refresh)).rejects.toBe(HANGING)
  })
})

describe('server actions', () => {
  it('signIn rethrows redirect() from authenticate instead of answering ok: false', async () => {
    const { baton } = await testBaton(backend.store, {
      authenticate() {
        throw REDIRECT
      },
    })
    const form = new FormData()
    form.set('email', 'ada@example.com')
    form.set('password', 'x')
    await expect(baton.actions.signIn(form)).rejects.toBe(REDIRECT)
  })
})

describe('Pages Router', () => {
  it('getSession rethrows a signal the refresh hits', async () => {
    const { baton } = await testBaton(backend.store)
    const s = await signedIn(baton)
    vi.spyOn(backend.store, 'findRefreshToken').mockRejectedValue(NOT_FOUND)
    const req = { headers: { host: 'app.test', cookie: `${RT}=${s.refresh}` }, url: '/account' }
    const res = { getHeader: () => undefined, setHeader: vi.fn() }
    await expect(baton.pages.getSession({ req, res } as never)).rejects.toBe(NOT_FOUND)
    expect(res.setHeader).not.toHaveBeenCalled()
  })
})

describe('storeless upstream', () => {
  it('withSession rethrows the prerender interrupt of reading the cookie', async () => {
    const auth = createStorelessUpstream({ secret: 'x'.repeat(32), upstream: { url: 'http://upstream.test' } })
    const handler = vi.fn(() => Response.json({}))
    await expect(auth.withSession(handler)(prerenderRequest('/api/me'), {})).rejects.toBe(INTERRUPT)
    expect(handler).not.toHaveBeenCalled()
  })
})
