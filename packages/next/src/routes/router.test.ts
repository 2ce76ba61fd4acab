import { generateSigningKey } from '@baton/core'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Baton } from '../create-baton.js'
import { backends, ORIGIN, testBaton } from '../test-app.fixture.js'
import { expectError, freshUser, signIn, useBackend } from './routes.fixture.js'

const METHODS = ['GET', 'POST', 'DELETE', 'PUT', 'PATCH'] as const

function send(baton: Baton, method: string, path: string, headers: Record<string, string> = {}): Promise<Response> {
  const route = baton.handlers[method as (typeof METHODS)[number]] ?? baton.handlers.GET
  return route(new Request(new URL(path, ORIGIN), { method, headers: { origin: ORIGIN, ...headers } }))
}

afterEach(() => {
  vi.restoreAllMocks()
})

describe('router', () => {
  const store = useBackend(backends[0]!)

  describe('404 for anything but a route', () => {
    it.each([
      '/api/auth',
      '/api/auth/',
      '/api/auth//login',
      '/api/auth/login/',
      '/api/auth/login/x',
      '/api/auth/LOGIN',
      '/api/auth/%6Cogin',
      '/api/auth/sessions/',
      '/api/auth/sessions/a/b',
      '/api/auth/sessions//x',
      '/api/auth/session/x',
      '/api/auth/jwks/',
      '/api/auth/__proto__',
      '/api/auth/constructor',
      '/api/auth/toString',
      '/api/auth/hasOwnProperty',
      '/api/auth/valueOf',
      '/api/auth/sessions%2Fx',
      '/api/auth/..%2Flogin',
      '/api/authlogin',
      '/api/authx/login',
      '/api/login',
      '/login',
      '/',
      '/API/AUTH/login',
    ])('%s', async (path) => {
      const { baton } = await testBaton(store())
      for (const method of METHODS) {
        const error = await expectError(await send(baton, method, path), 404, 'ERR_NOT_FOUND')
        expect(error.message).toBe('No such auth route.')
      }
    })

    it('honours a custom basePath', async () => {
      const { baton } = await testBaton(store(), { basePath: '/auth' })
      await expectError(await send(baton, 'GET', '/api/auth/jwks'), 404, 'ERR_NOT_FOUND')
      await expectError(await send(baton, 'GET', '/auth/session'), 401, 'ERR_REFRESH_TOKEN_MISSING')
      await expectError(await send(baton, 'GET', '/authx/session'), 404, 'ERR_NOT_FOUND')
    })

    it('ignores query strings and fragments', async () => {
      const { baton } = await testBaton(store())
      await expectError(await send(baton, 'GET', '/api/auth/session?x=/login#frag'), 401, 'ERR_REFRESH_TOKEN_MISSING')
      await expectError(await send(baton, 'GET', '/api/auth/x?/session'), 404, 'ERR_NOT_FOUND')
    })
  })

  describe('405 with Allow for a known path and the wrong method', () => {
    it.each([
      ['/api/auth/login', 'POST', ['GET', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'FOO']],
      ['/api/auth/refresh', 'POST', ['GET', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']],
      ['/api/auth/logout', 'POST', ['GET', 'PUT', 'PATCH', 'DELETE']],
      ['/api/auth/session', 'GET', ['POST', 'PUT', 'PATCH', 'DELETE', 'HEAD']],
      ['/api/auth/sessions', 'GET', ['POST', 'PUT', 'PATCH', 'DELETE']],
      ['/api/auth/sessions/abc', 'DELETE', ['GET', 'POST', 'PUT', 'PATCH']],
      ['/api/auth/jwks', 'GET', ['POST', 'PUT', 'PATCH', 'DELETE']],
    ])('%s allows only %s', async (path, allow, wrong) => {
      const { baton } = await testBaton(store())
      for (const method of wrong) {
        const response = await send(baton, method, path)
        expect(response.headers.get('allow')).toBe(allow)
        const error = await expectError(response, 405, 'ERR_METHOD_NOT_ALLOWED')
        expect(error.message).toBe(`Use ${allow}.`)
      }
    })

    it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'patch', 'Post_'])(
      'a method named %j is 405, not a crash',
      async (method) => {
        const { baton } = await testBaton(store())
        for (const path of ['/api/auth/login', '/api/auth/session', '/api/auth/sessions/x']) {
          const response = await baton.handlers.GET(new Request(new URL(path, ORIGIN), { method }))
          await expectError(response, 405, 'ERR_METHOD_NOT_ALLOWED')
        }
      },
    )

    it('answers 405 before any CSRF, content-type or body check', async () => {
      const { baton } = await testBaton(store())
      const response = await baton.handlers.PUT(
        new Request(new URL('/api/auth/login', ORIGIN), {
          method: 'PUT',
          headers: { origin: 'https://evil.test', 'content-type': 'text/plain' },
          body: 'x'.repeat(100_000),
        }),
      )
      await expectError(response, 405, 'ERR_METHOD_NOT_ALLOWED')
    })

    it('every exported handler routes every method the same way', async () => {
      const { baton } = await testBaton(store())
      for (const handler of METHODS) {
        const response = await baton.handlers[handler](new Request(new URL('/api/auth/session', ORIGIN)))
        await expectError(response, 401, 'ERR_REFRESH_TOKEN_MISSING')
      }
    })
  })

  describe('GET /jwks', () => {
    it('HS256 → 404 ERR_NOT_FOUND, not cacheable', async () => {
      const { baton } = await testBaton(store())
      const response = await send(baton, 'GET', '/api/auth/jwks')
      const error = await expectError(response, 404, 'ERR_NOT_FOUND')
      expect(error.message).toMatch(/HS256/)
    })

    it.each(['EdDSA', 'ES256'] as const)(
      '%s → 200 public JWKS, cacheable 5 minutes, no private members',
      async (alg) => {
        const current = await generateSigningKey({ alg, kid: `${alg}-current` })
        const previous = await generateSigningKey({ alg: 'EdDSA', kid: 'previous' })
        const { baton } = await testBaton(store(), { keys: { sign: current.privateJwk, verify: [previous.publicJwk] } })
        const response = await send(baton, 'GET', '/api/auth/jwks')
        expect(response.status).toBe(200)
        expect(response.headers.get('cache-control')).toBe('public, max-age=300')
        expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8')
        expect(response.headers.get('x-content-type-options')).toBe('nosniff')
        expect(response.headers.getSetCookie()).toEqual([])
        const body = await response.json()
        expect(Object.keys(body)).toEqual(['keys'])
        expect(body.keys.map((k: { kid: string }) => k.kid)).toEqual([`${alg}-current`, 'previous'])
        expect(body.keys[0]).toEqual({ ...current.publicJwk, use: 'sig' })
        for (const key of body.keys) {
          expect(key.use).toBe('sig')
          for (const member of ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k', 'oth', 'key_ops', 'ext'])
            expect(key).not.toHaveProperty(member)
        }
        expect(JSON.stringify(body)).not.toContain(current.privateJwk.d as string)
      },
    )

    it('a token issued with the key verifies against the served JWKS', async () => {
      const { publicKeySet, verifyAccessToken } = await import('@baton/core/internal')
      const key = await generateSigningKey({ kid: 'k1' })
      const { baton } = await testBaton(store(), { keys: { sign: key.privateJwk } })
      const { email, id } = await freshUser()
      const { body } = await signIn(baton, email)
      const jwks = await (await send(baton, 'GET', '/api/auth/jwks')).json()
      const claims = await verifyAccessToken(
        await publicKeySet(jwks.keys),
        { issuer: 'baton', audience: 'baton', clockTolerance: 5 },
        body.accessToken,
        baton.engine.options.clock.now(),
      )
      expect(claims.sub).toBe(id)
    })
  })

  describe('errors are never 500 unless the app is misconfigured', () => {
    it('an unexpected exception from a helper becomes 503 without internals', async () => {
      const log = vi.spyOn(console, 'error').mockImplementation(() => undefined)
      const { baton } = await testBaton(store(), {
        clientIp: () => {
          throw new RangeError('internal detail /srv/app/secret.ts:12')
        },
      })
      const response = await baton.handlers.POST(
        new Request(new URL('/api/auth/login', ORIGIN), {
          method: 'POST',
          headers: { origin: ORIGIN, 'content-type': 'application/json' },
          body: '{"email":"a@b.c","password":"x"}',
        }),
      )
      const text = await response.clone().text()
      const error = await expectError(response, 503, 'ERR_INTERNAL')
      expect(error.message).toBe('The service is temporarily unavailable. Try again.')
      expect(text).not.toMatch(/RangeError|secret\.ts|internal detail/)
      expect(log).toHaveBeenCalledTimes(1)
    })
  })
})
