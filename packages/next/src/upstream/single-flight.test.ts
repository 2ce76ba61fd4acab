import { afterAll, describe, expect, it } from 'vitest'
import { createUpstreamClient } from '../axios/create-upstream-client.js'
import { openSqliteFile, signInUpstream, upstreamBaton, useUpstream } from './upstream.fixture.js'

/**
 * Fifty requests of one session need the upstream at the moment its access
 * token expires: exactly one upstream refresh runs, and everyone gets its
 * result. The upstream is strict (zero grace), so a second spend of the same
 * refresh token would show up as a double spend and a revoked family.
 */
describe('upstream refresh: single flight in one process', () => {
  const upstream = useUpstream({ refreshDelayMs: 50 })
  const sqlite = openSqliteFile()
  afterAll(() => sqlite.close())

  it('50 concurrent getAccessToken calls after expiry make one upstream refresh', async () => {
    const { baton, clock } = upstreamBaton(sqlite.store, { url: upstream().url })
    const { sessionId } = await signInUpstream(baton)
    const first = await baton.upstream.getAccessToken({ sessionId })
    expect(upstream().controls.stats().refreshCalls).toBe(0)

    clock.advance(60_000)
    const tokens = await Promise.all(Array.from({ length: 50 }, () => baton.upstream.getAccessToken({ sessionId })))
    expect(new Set(tokens).size).toBe(1)
    expect(tokens[0]).not.toBe(first)
    expect(upstream().controls.stats()).toMatchObject({ refreshCalls: 1, refreshes: 1, doubleSpends: 0 })
    // The refreshed pair is in the store: the next caller neither refreshes nor gets the old token.
    expect(await baton.upstream.getAccessToken({ sessionId })).toBe(tokens[0])
  })

  it('refreshes within the leeway, before the upstream token actually expires', async () => {
    const { baton, clock } = upstreamBaton(sqlite.store, { url: upstream().url, refreshLeeway: 10 })
    const { sessionId } = await signInUpstream(baton)
    clock.advance(45_000) // 15 s left: outside the 10 s leeway
    await baton.upstream.getAccessToken({ sessionId })
    expect(upstream().controls.stats().refreshCalls).toBe(0)
    clock.advance(6_000) // 9 s left
    await baton.upstream.getAccessToken({ sessionId })
    expect(upstream().controls.stats().refreshCalls).toBe(1)
  })

  it('50 concurrent axios calls after expiry: one refresh, all answered', async () => {
    const { baton, clock } = upstreamBaton(sqlite.store, { url: upstream().url })
    const { sessionId } = await signInUpstream(baton)
    clock.advance(60_000)
    const api = createUpstreamClient(baton, { sessionId })
    const answers = await Promise.all(Array.from({ length: 50 }, () => api.get('/me')))
    expect(answers.map((a) => a.status)).toEqual(Array(50).fill(200))
    expect(answers[0]?.data).toEqual({ user: { id: 'u-1', email: 'demo@baton.dev', name: 'Demo User' } })
    expect(upstream().controls.stats()).toMatchObject({ refreshCalls: 1, doubleSpends: 0, meCalls: 50 })
  })

  it('the upstream expires tokens early: fifty 401s share one renewal and each request retries once', async () => {
    const { baton } = upstreamBaton(sqlite.store, { url: upstream().url })
    const { sessionId } = await signInUpstream(baton)
    upstream().controls.expireAccessTokens() // Baton still thinks the token is fresh
    const apis = [createUpstreamClient(baton, { sessionId }), createUpstreamClient(baton, { sessionId })]
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => apis[i % 2]?.get('/me')))
    expect(answers.map((a) => a?.status)).toEqual(Array(50).fill(200))
    expect(upstream().controls.stats()).toMatchObject({ refreshCalls: 1, doubleSpends: 0 })
  })

  it('sessions refresh independently', async () => {
    const { baton, clock } = upstreamBaton(sqlite.store, { url: upstream().url })
    const a = await signInUpstream(baton)
    const b = await signInUpstream(baton)
    clock.advance(60_000)
    const calls = [a, b].flatMap((s) => Array.from({ length: 10 }, () => baton.upstream.getAccessToken(s)))
    const tokens = await Promise.all(calls)
    expect(new Set(tokens).size).toBe(2)
    expect(upstream().controls.stats()).toMatchObject({ refreshCalls: 2, doubleSpends: 0 })
  })
})
