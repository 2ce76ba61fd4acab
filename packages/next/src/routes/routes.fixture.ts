import type { SessionStore } from '@baton/core'
import { type SignInBody, signIn as signInThrough } from '@baton/test-kit'
import { afterAll, beforeAll, expect } from 'vitest'
import { type Baton, createBaton } from '../create-baton.js'
import type { BatonOptions } from '../options.js'
import { addTestUser, backends, ORIGIN, PASSWORD, testBaton } from '../test-app.fixture.js'

export type Backend = (typeof backends)[number]

/** The fixture's backends (PGlite opens from test-kit's cached initdb). */
export const routeBackends: Backend[] = backends

/** One store per backend for the whole file (PGlite costs seconds to open). */
export function useBackend(backend: Backend): () => SessionStore {
  let store: SessionStore | undefined
  let close: (() => Promise<void>) | undefined
  beforeAll(async () => {
    ;({ store, close } = await backend.open())
  })
  afterAll(async () => {
    await close?.()
  })
  return () => {
    if (!store) throw new Error('store not open yet')
    return store
  }
}

let userSeq = 0

/** A fresh account (distinct user and rate-limit buckets) with the test password. */
export async function freshUser(prefix = 'user'): Promise<{ email: string; id: string }> {
  userSeq += 1
  const email = `${prefix}-${userSeq}-${Math.random().toString(36).slice(2, 8)}@example.com`
  const id = await addTestUser(email)
  return { email, id }
}

/** Asserts the uniform error shape and returns the error. */
export async function expectError(
  response: Response,
  status: number,
  code: string,
): Promise<{ code: string; message: string }> {
  const text = await response.text()
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    throw new Error(`expected JSON, got ${response.status}: ${text.slice(0, 200)}`)
  }
  expect({ status: response.status, body }).toMatchObject({ status, body: { error: { code } } })
  const error = (body as { error: { code: string; message: string } }).error
  expect(Object.keys(body as object)).toEqual(['error'])
  expect(Object.keys(error).sort()).toEqual(['code', 'message'])
  expect(typeof error.message).toBe('string')
  expect(error.message.length).toBeGreaterThan(0)
  expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8')
  expect(response.headers.get('cache-control')).toBe('no-store')
  expect(response.headers.get('x-content-type-options')).toBe('nosniff')
  return error
}

export interface Jar {
  access: string
  refresh: string
}

/** Signs `email` in through the route (test-kit's `signIn`, in process) and returns the cookie values. */
export async function signIn(
  baton: Baton,
  email: string,
  init: { headers?: Record<string, string>; password?: string } = {},
): Promise<{ jar: Jar; body: SignInBody; response: Response }> {
  const signed = await signInThrough({
    base: `${ORIGIN}/api/auth`,
    credentials: { email, password: init.password ?? PASSWORD },
    ...(init.headers ? { headers: init.headers } : {}),
    fetch: (request) => baton.handlers.POST(request),
  })
  const jar = {
    access: signed.jar.get(baton.cookieNames.access) as string,
    refresh: signed.jar.get(baton.cookieNames.refresh) as string,
  }
  return { jar, body: signed.body, response: signed.response }
}

/** A Cookie header value with the given cookies. */
export function cookieHeader(cookies: Record<string, string>): string {
  return Object.entries(cookies)
    .map(([k, v]) => `${k}=${v}`)
    .join('; ')
}

/**
 * `testBaton` whose authenticate skips scrypt: any `freshUser` email with the
 * test password signs in (as the same user `testBaton` would return). For
 * tests about sessions, where the password check is not the subject.
 */
export function quickBaton(store: SessionStore, overrides: Partial<BatonOptions> = {}) {
  return testBaton(store, {
    async authenticate(credentials) {
      const email = credentials.email?.toLowerCase()
      if (!email || credentials.password !== PASSWORD) return null
      return { id: `user-${email}`, email, name: email.split('@')[0] ?? email }
    },
    ...overrides,
  })
}

export type { BatonOptions }
/** `testBaton` plus a plain `createBaton` for options the fixture fixes. */
export { createBaton, testBaton }
