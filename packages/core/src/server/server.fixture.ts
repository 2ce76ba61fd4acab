import { MemorySessionStore } from '../index.js'
import type { AuthServer } from './auth-server.js'
import { createAuthServer } from './create-auth-server.js'
import type { BatonOptions } from './options.js'

export const ORIGIN = 'http://app.test'
export const SECRET = 'server-layer-test-secret-0123456789!'
export const ADA = { id: 'u1', email: 'ada@example.com', name: 'Ada' }

/** A server over a memory store whose only account is ada@example.com / "pw". */
export function testServer(options: Partial<BatonOptions> = {}): AuthServer {
  return createAuthServer({
    store: new MemorySessionStore(),
    secret: SECRET,
    cookies: { secure: false },
    authenticate: async (credentials) =>
      credentials.email === ADA.email && credentials.password === 'pw' ? { ...ADA } : null,
    ...options,
  })
}

/** A plain `Request` to the auth routes (same-origin, JSON when there is a body). */
export function authRequest(
  path: string,
  init: { method?: string; body?: unknown; cookie?: string; headers?: Record<string, string> } = {},
): Request {
  const headers = new Headers({ origin: ORIGIN, ...init.headers })
  if (init.cookie) headers.set('cookie', init.cookie)
  if (init.body !== undefined) headers.set('content-type', 'application/json')
  return new Request(`${ORIGIN}/api/auth${path}`, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers,
    body: init.body === undefined ? null : JSON.stringify(init.body),
  })
}

/** The `name=value` pairs a response sets, as a `Cookie` header (deletions left out). */
export function cookieHeader(response: Response): string {
  return response.headers
    .getSetCookie()
    .map((line) => line.split(';')[0] as string)
    .filter((pair) => !pair.endsWith('='))
    .join('; ')
}
