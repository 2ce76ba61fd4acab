import { describe, expect, it } from 'vitest'
import { createUpstreamClient } from '../axios/create-upstream-client.js'
import { routeBackends, useBackend } from '../routes/routes.fixture.js'
import { request, signInUpstream, upstreamBaton, useUpstream } from './upstream.fixture.js'

/** The upstream guarantees on every store driver the package is tested with (SQLite file, PGlite). */
describe.each(routeBackends)('upstream mode on $name', (backend) => {
  const store = useBackend(backend)
  const upstream = useUpstream({ refreshDelayMs: 30 })

  it('50 concurrent calls after expiry: one upstream refresh, zero double spends', async () => {
    const { baton, clock } = upstreamBaton(store(), { url: upstream().url })
    const { sessionId } = await signInUpstream(baton)
    clock.advance(60_000)
    const api = createUpstreamClient(baton, { sessionId })
    const answers = await Promise.all(Array.from({ length: 50 }, () => api.get('/me')))
    expect(answers.every((a) => a.status === 200)).toBe(true)
    expect(upstream().controls.stats()).toMatchObject({ refreshCalls: 1, doubleSpends: 0 })
  })

  it('outage keeps the session; refusal ends it; sign-out reaches the upstream', async () => {
    const { baton, clock } = upstreamBaton(store(), { url: upstream().url })
    const a = await signInUpstream(baton)
    clock.advance(60_000)
    upstream().controls.fail({ route: 'refresh', mode: '503', count: 1 })
    await expect(baton.upstream.getAccessToken(a)).rejects.toMatchObject({ code: 'ERR_UPSTREAM_UNAVAILABLE' })
    expect((await store().getSession(a.sessionId))?.revokedAt).toBeNull()
    upstream().controls.fail({ route: 'refresh', mode: '401', count: 1 })
    await expect(baton.upstream.getAccessToken(a)).rejects.toMatchObject({ code: 'ERR_UPSTREAM_SESSION_ENDED' })
    expect((await store().getSession(a.sessionId))?.revokedAt).not.toBeNull()

    const b = await signInUpstream(baton)
    await baton.handlers.POST(request('/api/auth/logout', { method: 'POST', cookies: b.cookies }))
    expect(upstream().controls.stats().logouts).toBe(1)
    expect((await store().getSession(b.sessionId))?.data).toBeNull()
  })
})
