import type { SessionStore } from '@baton/core'
import { manualClock } from '@baton/core/testing'
import { openBackend } from '@baton/test-kit'
import { createBaton } from './create-baton.js'
import type { BatonOptions } from './options.js'
import { hashPassword, verifyPassword } from './passwords.js'

export const ORIGIN = 'http://app.test'
export const PASSWORD = 'correct-horse-battery-staple'
export const SECRET = 'next-adapter-test-secret-0123456789!!'

/** A real store per backend (test-kit's `openBackend`), for route tests that run on both. */
export const backends: { name: string; open(): Promise<{ store: SessionStore; close(): Promise<void> }> }[] = [
  { name: 'SQLite file', open: () => openBackend({ kind: 'sqlite' }) },
  { name: 'PGlite', open: () => openBackend({ kind: 'pglite' }) },
]

const users = new Map<string, { id: string; email: string; name: string; hash: string }>()
let hash: string | undefined

/**
 * Registers another account with the test password, so tests sharing one store
 * (one PGlite per file) use distinct users and rate-limit buckets. Returns its id.
 */
export async function addTestUser(email: string, name = email.split('@')[0] ?? email): Promise<string> {
  hash ??= await hashPassword(PASSWORD)
  const id = `user-${email.toLowerCase()}`
  users.set(email.toLowerCase(), { id, email: email.toLowerCase(), name, hash })
  return id
}

/** A Baton instance like an app's, over `store`, with a manual clock and one user. */
export async function testBaton(store: SessionStore, overrides: Partial<BatonOptions> = {}) {
  hash ??= await hashPassword(PASSWORD)
  users.set('ada@example.com', { id: 'user-ada', email: 'ada@example.com', name: 'Ada', hash })
  const clock = manualClock(Date.now())
  const baton = createBaton({
    store,
    secret: SECRET,
    clock,
    cookies: { secure: true },
    paths: { protected: ['/dashboard', '/devices', '/api/me'] },
    trustProxy: 1,
    async authenticate(credentials) {
      const user = users.get(credentials.email?.toLowerCase() ?? '')
      const ok = await verifyPassword(credentials.password ?? '', user?.hash ?? null)
      return ok && user ? { id: user.id, email: user.email, name: user.name } : null
    },
    ...overrides,
  })
  return { baton, clock }
}

/** A browser-like request to the app: same-origin by default. */
export function request(
  path: string,
  init: RequestInit & { cookies?: Record<string, string>; json?: unknown } = {},
): Request {
  const headers = new Headers(init.headers)
  if (!headers.has('origin') && init.method && init.method !== 'GET') headers.set('origin', ORIGIN)
  if (init.cookies)
    headers.set(
      'cookie',
      Object.entries(init.cookies)
        .map(([k, v]) => `${k}=${v}`)
        .join('; '),
    )
  let body = init.body
  if (init.json !== undefined) {
    headers.set('content-type', 'application/json')
    body = JSON.stringify(init.json)
  }
  return new Request(new URL(path, ORIGIN), { ...init, headers, body })
}

/** The cookies a response sets, by name (value '' for a deletion). */
export function setCookies(response: Response): Record<string, string> {
  const result: Record<string, string> = {}
  for (const line of response.headers.getSetCookie()) {
    const [pair = ''] = line.split(';')
    const eq = pair.indexOf('=')
    result[pair.slice(0, eq)] = pair.slice(eq + 1)
  }
  return result
}
