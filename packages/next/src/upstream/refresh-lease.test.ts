import { jsonSealer, openState, sealState } from '@baton/core/internal'
import { STORE_SEALING_LABEL } from '@baton/core/server'
import { afterAll, describe, expect, it } from 'vitest'
import { openSqliteFile, request, SECRET, signInUpstream, upstreamBaton, useUpstream } from './upstream.fixture.js'

/**
 * The cross-process lease, driven by hand: another instance's claim is written
 * into the sealed data as that instance would, and this one must wait for it.
 */
describe('upstream refresh lease', () => {
  const upstream = useUpstream()
  const sqlite = openSqliteFile()
  afterAll(() => sqlite.close())
  const sealer = jsonSealer(SECRET, STORE_SEALING_LABEL)

  async function claimAsAnotherInstance(sessionId: string, untilMs: number) {
    const row = await sqlite.store.getSession(sessionId)
    const state = await openState(sealer, sessionId, row?.data ?? null)
    if (!row || !state) throw new Error('no upstream state')
    const data = await sealState(sealer, sessionId, { ...state, lease: { id: 'other', until: Date.now() + untilMs } })
    const version = await sqlite.store.updateSessionData(sessionId, { data, expectedVersion: row.dataVersion })
    return { state, version: version as number }
  }

  it('waits for the holder and takes its result, without a refresh of its own', async () => {
    const { baton, clock } = upstreamBaton(sqlite.store, { url: upstream().url })
    const { sessionId } = await signInUpstream(baton)
    clock.advance(60_000)
    const { state, version } = await claimAsAnotherInstance(sessionId, 5_000)
    const waiting = baton.upstream.getAccessToken({ sessionId })
    await new Promise((r) => setTimeout(r, 150))
    // The holder finishes: new tokens, lease gone.
    const fresh = {
      ...state,
      accessToken: 'uat_from-the-holder',
      expiresAt: clock.now() + 60_000,
      issuedAt: clock.now(),
    }
    const data = await sealState(sealer, sessionId, { ...fresh, lease: null })
    expect(await sqlite.store.updateSessionData(sessionId, { data, expectedVersion: version })).toBe(version + 1)
    expect(await waiting).toBe('uat_from-the-holder')
    expect(upstream().controls.stats().refreshCalls).toBe(0)
  })

  it('takes over a lease whose holder died, once it lapses', async () => {
    const { baton, clock } = upstreamBaton(sqlite.store, { url: upstream().url })
    const { sessionId } = await signInUpstream(baton)
    clock.advance(60_000)
    await claimAsAnotherInstance(sessionId, 400)
    const started = Date.now()
    await expect(baton.upstream.getAccessToken({ sessionId })).resolves.toMatch(/^uat_/)
    expect(Date.now() - started).toBeGreaterThanOrEqual(350)
    expect(upstream().controls.stats()).toMatchObject({ refreshCalls: 1, doubleSpends: 0 })
  })

  it('gives up with 503 (session intact) when the holder outlives the wait', async () => {
    const { baton, clock } = upstreamBaton(sqlite.store, { url: upstream().url, timeoutMs: 100, leaseMs: 300 })
    const { sessionId } = await signInUpstream(baton)
    clock.advance(60_000)
    await claimAsAnotherInstance(sessionId, 60_000)
    await expect(baton.upstream.getAccessToken({ sessionId })).rejects.toMatchObject({
      code: 'ERR_UPSTREAM_UNAVAILABLE',
      status: 503,
    })
    expect((await sqlite.store.getSession(sessionId))?.revokedAt).toBeNull()
    expect(upstream().controls.stats().refreshCalls).toBe(0)
  })

  it('signed out while its refresh is in flight: the new pair is logged out too, the caller gets 401', async () => {
    const { baton, clock } = upstreamBaton(sqlite.store, { url: upstream().url })
    const { sessionId, cookies } = await signInUpstream(baton)
    clock.advance(60_000)
    upstream().controls.setRefreshDelay(300)
    try {
      const refreshing = baton.upstream.getAccessToken({ sessionId })
      await new Promise((r) => setTimeout(r, 100))
      const out = await baton.handlers.POST(request('/api/auth/logout', { method: 'POST', cookies }))
      expect(out.status).toBe(200)
      await expect(refreshing).rejects.toMatchObject({ code: 'ERR_SESSION_REVOKED' })
    } finally {
      upstream().controls.setRefreshDelay(0)
    }
    expect(upstream().controls.stats()).toMatchObject({ refreshes: 1, logouts: 2 })
    expect((await sqlite.store.getSession(sessionId))?.data).toBeNull()
  })

  it('a custom refresh that ignores its signal is still bounded by timeoutMs', async () => {
    const never = () => new Promise<never>(() => undefined)
    const { baton, clock } = upstreamBaton(sqlite.store, { url: upstream().url, timeoutMs: 200, refresh: never })
    const { sessionId } = await signInUpstream(baton)
    clock.advance(60_000)
    await expect(baton.upstream.getAccessToken({ sessionId })).rejects.toMatchObject({
      code: 'ERR_UPSTREAM_UNAVAILABLE',
    })
    expect((await sqlite.store.getSession(sessionId))?.revokedAt).toBeNull()
  })
})
