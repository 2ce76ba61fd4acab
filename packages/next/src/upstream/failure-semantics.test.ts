import { isBatonError } from '@baton/core'
import { afterAll, describe, expect, it } from 'vitest'
import { createUpstreamClient } from '../axios/create-upstream-client.js'
import { request } from '../test-app.fixture.js'
import { openSqliteFile, signInUpstream, upstreamBaton, useUpstream } from './upstream.fixture.js'

const rejection = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected a rejection')
    },
    (error: unknown) => error,
  )

/**
 * A flaky upstream (503s, timeouts, dropped connections) never signs anyone
 * out: the call fails with ERR_UPSTREAM_UNAVAILABLE and the next one works.
 * An upstream that refuses the refresh token ends the Baton session.
 */
describe('upstream failures', () => {
  const upstream = useUpstream()
  const sqlite = openSqliteFile()
  afterAll(() => sqlite.close())
  const setup = async (options: { timeoutMs?: number; retries?: number } = {}) => {
    const { baton, clock } = upstreamBaton(sqlite.store, { url: upstream().url, retryDelayMs: 10, ...options })
    const signedIn = await signInUpstream(baton)
    return { baton, clock, ...signedIn, session: { sessionId: signedIn.sessionId } }
  }
  const live = async (sessionId: string) => (await sqlite.store.getSession(sessionId))?.revokedAt === null

  for (const mode of ['503', '500', 'reset'] as const) {
    it(`refresh answered by ${mode}: ERR_UPSTREAM_UNAVAILABLE, the session survives and recovers`, async () => {
      const { baton, clock, session } = await setup()
      clock.advance(60_000)
      upstream().controls.fail({ route: 'refresh', mode, count: 1 })
      const error = await rejection(baton.upstream.getAccessToken(session))
      expect(error).toMatchObject({ code: 'ERR_UPSTREAM_UNAVAILABLE', status: mode === 'reset' ? 503 : 502 })
      expect(await live(session.sessionId)).toBe(true)
      // The failed call never reached the rotation: the same refresh token works now, once.
      await expect(baton.upstream.getAccessToken(session)).resolves.toMatch(/^uat_/)
      expect(upstream().controls.stats()).toMatchObject({ refreshes: 1, doubleSpends: 0, revokedFamilies: 0 })
    })
  }

  it('a malformed refresh answer is an outage (502), not a sign-out', async () => {
    const { baton, clock, session } = await setup()
    clock.advance(60_000)
    upstream().controls.fail({ route: 'refresh', mode: 'malformed', count: 1 })
    await expect(baton.upstream.getAccessToken(session)).rejects.toMatchObject({
      code: 'ERR_UPSTREAM_UNAVAILABLE',
      status: 502,
    })
    expect(await live(session.sessionId)).toBe(true)
  })

  it('a hanging refresh times out with 503 within timeoutMs, and the session survives', async () => {
    const { baton, clock, session } = await setup({ timeoutMs: 300 })
    clock.advance(60_000)
    upstream().controls.fail({ route: 'refresh', mode: 'hang', count: 1 })
    const started = Date.now()
    const errors = await Promise.all(
      Array.from({ length: 10 }, () => rejection(baton.upstream.getAccessToken(session))),
    )
    expect(Date.now() - started).toBeLessThan(2000)
    for (const error of errors) expect(error).toMatchObject({ code: 'ERR_UPSTREAM_UNAVAILABLE', status: 503 })
    expect(await live(session.sessionId)).toBe(true)
    await expect(baton.upstream.getAccessToken(session)).resolves.toMatch(/^uat_/)
    expect(upstream().controls.stats()).toMatchObject({ refreshes: 1, doubleSpends: 0 })
  })

  it('refresh refused (401): the Baton session ends and the route answers 401 clearing the cookies', async () => {
    const { baton, clock, session, cookies } = await setup()
    clock.advance(60_000)
    upstream().controls.fail({ route: 'refresh', mode: '401', count: 1 })
    const route = baton.withAuth(async (_req, { auth }) => Response.json(await baton.upstream.getAccessToken(auth)))
    const response = await route(request('/api/me', { cookies }), {})
    expect(response.status).toBe(401)
    expect((await response.json()).error.code).toBe('ERR_UPSTREAM_SESSION_ENDED')
    expect(response.headers.getSetCookie().every((c) => /Max-Age=0|Expires=Thu, 01 Jan 1970/i.test(c))).toBe(true)
    expect(await live(session.sessionId)).toBe(false)
    // Signed out for good: Baton's own refresh cookie is dead too, so the proxy sends the user to sign in.
    const refreshed = await baton.handlers.POST(request('/api/auth/refresh', { method: 'POST', cookies }))
    expect(refreshed.status).toBe(401)
    expect((await sqlite.store.getSession(session.sessionId))?.data).toBeNull()
  })

  it('resource 503s and timeouts on GET are retried with backoff; the answer arrives', async () => {
    const { baton, session } = await setup({ timeoutMs: 300 })
    upstream().controls.fail({ route: 'me', mode: '503', count: 1 })
    upstream().controls.fail({ route: 'me', mode: 'hang', count: 1 })
    const api = createUpstreamClient(baton, session)
    const answer = await api.get('/me')
    expect(answer.status).toBe(200)
    expect(upstream().controls.stats()).toMatchObject({ injectedFailures: 2 })
    const viaFetch = await baton.upstream.fetch(session, '/me')
    expect(viaFetch.status).toBe(200)
  })

  it('an upstream that stays down: 502/503 ERR_UPSTREAM_UNAVAILABLE from the route, the session survives', async () => {
    const { baton, session, cookies } = await setup({ timeoutMs: 200, retries: 1 })
    upstream().controls.fail({ route: 'me', mode: '503' })
    try {
      const route = baton.withAuth(async (_req, { auth }) => {
        const { data } = await createUpstreamClient(baton, auth).get('/me')
        return Response.json(data)
      })
      const response = await route(request('/api/me', { cookies }), {})
      expect(response.status).toBe(502)
      expect((await response.json()).error.code).toBe('ERR_UPSTREAM_UNAVAILABLE')
      expect(response.headers.getSetCookie()).toEqual([])
      const error = await rejection(baton.upstream.fetch(session, '/me'))
      expect(isBatonError(error, 'ERR_UPSTREAM_UNAVAILABLE')).toBe(true)
    } finally {
      upstream().controls.heal()
    }
    expect(await live(session.sessionId)).toBe(true)
  })

  it('the upstream is down at sign-in: 503 ERR_UPSTREAM_UNAVAILABLE, no Baton session', async () => {
    const { baton } = upstreamBaton(sqlite.store, { url: upstream().url })
    upstream().controls.fail({ route: 'login', mode: '503', count: 1 })
    const error = await rejection(signInUpstream(baton))
    expect(error).toMatchObject({ response: { status: 502 } })
    expect((error as { body: unknown }).body).toMatchObject({ error: { code: 'ERR_UPSTREAM_UNAVAILABLE' } })
  })
})
