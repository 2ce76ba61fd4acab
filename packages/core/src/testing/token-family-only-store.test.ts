/**
 * "A store author implements only what they use": a store with nothing but
 * the TokenFamilyStore methods passes its suite and the engine's rotation
 * semantics, signs users in, out and refreshes them; rate limits then live in
 * process memory, and session data (upstream mode) is refused.
 */
import { afterEach, describe, expect, it, vi } from 'vitest'
import { ConfigError } from '../errors.js'
import { MemorySessionStore } from '../memory-store.js'
import { createSessionEngine, type SessionEngine } from '../session-engine.js'
import type { SessionEngineStore, TokenFamilyStore } from '../session-store.js'
import { manualClock } from './fixtures.js'
import { describeSessionEngineContract, describeTokenFamilyStoreContract } from './index.js'
import { tokenFamilyOnlyStore as tokenFamilyOnly } from './token-family-only.js'

describeTokenFamilyStoreContract('TokenFamilyStore only', { createStore: () => tokenFamilyOnly() })
describeSessionEngineContract('TokenFamilyStore only', { createStore: () => tokenFamilyOnly() })

const SECRET = 'token-family-only-secret-0123456789'

function engineOn(store: SessionEngineStore, clock = manualClock()): SessionEngine {
  return createSessionEngine({ store, secret: SECRET, issuer: 'https://app.test', clock })
}

describe('the engine on a store with only token families', () => {
  afterEach(() => {
    vi.restoreAllMocks()
  })

  it('signs in, refreshes and signs out', async () => {
    const store = tokenFamilyOnly()
    expect(Object.keys(store)).not.toContain('consumeRateLimit')
    expect(Object.keys(store)).not.toContain('updateSessionData')
    const engine = engineOn(store)
    const first = await engine.signIn({ subject: 'ada', user: { name: 'Ada' } })
    const second = await engine.refresh({ refreshToken: first.refreshToken })
    expect(second.session.id).toBe(first.session.id)
    expect(await engine.verifyAccessToken(second.accessToken, { strict: true })).toMatchObject({ subject: 'ada' })
    expect((await engine.listSessions({ subject: 'ada' })).map((s) => s.id)).toEqual([first.session.id])
    expect((await engine.signOut({ refreshToken: second.refreshToken }))?.id).toBe(first.session.id)
    await expect(engine.refresh({ refreshToken: second.refreshToken })).rejects.toMatchObject({
      code: 'ERR_SESSION_REVOKED',
    })
    expect(await engine.listSessions({ subject: 'ada' })).toEqual([])
  })

  it('counts rate limits in this process (never unlimited), warns once, and prunes stale counters', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    const clock = manualClock()
    const engine = engineOn(tokenFamilyOnly(), clock)
    const input = { key: 'login:ada', limit: 2, windowMs: 60_000, now: clock.now() }
    const counts = []
    for (let i = 0; i < 3; i++) counts.push(await engine.store.consumeRateLimit(input))
    expect(counts.map((r) => r.allowed)).toEqual([true, true, false])
    expect(warn).toHaveBeenCalledTimes(1)
    expect(String(warn.mock.calls[0]?.[0])).toMatch(/no rate limits.*this process only/s)
    await engine.store.resetRateLimit('login:ada')
    expect((await engine.store.consumeRateLimit(input)).count).toBe(1)
    clock.advance(60_000)
    expect((await engine.prune()).rateLimits).toBe(1)
    expect((await engine.store.consumeRateLimit({ ...input, now: clock.now() })).count).toBe(1)
  })

  it('keeps each engine’s counters apart (per process, not shared)', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    const store = tokenFamilyOnly()
    const input = { key: 'login:bob', limit: 1, windowMs: 60_000, now: 0 }
    expect((await engineOn(store).store.consumeRateLimit(input)).allowed).toBe(true)
    expect((await engineOn(store).store.consumeRateLimit(input)).allowed).toBe(true)
  })

  it('refuses session-data writes (upstream mode) with ConfigError, before touching the store', async () => {
    const engine = engineOn(tokenFamilyOnly())
    const issued = await engine.signIn({ subject: 'cy' })
    const write = engine.store.updateSessionData(issued.session.id, { data: 'x', expectedVersion: 0 })
    await expect(write).rejects.toBeInstanceOf(ConfigError)
    await expect(write).rejects.toThrow(/SessionDataStore/)
    expect(await engine.store.getSession(issued.session.id)).toMatchObject({ data: null, dataVersion: 0 })
  })

  it('refuses at creation a store with half a RateLimitStore, or without a token-family method', () => {
    const half = { ...tokenFamilyOnly(), consumeRateLimit: new MemorySessionStore().consumeRateLimit }
    expect(() => engineOn(half)).toThrow(ConfigError)
    const { prune: _, ...noPrune } = tokenFamilyOnly()
    expect(() => engineOn(noPrune as TokenFamilyStore)).toThrow(/lacks prune\(\)/)
  })
})

describe('the engine on a full SessionStore', () => {
  afterEach(() => {
    vi.restoreAllMocks()
  })

  it('counts rate limits and writes session data in the store itself, without a warning', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    const store = new MemorySessionStore()
    const consume = vi.spyOn(store, 'consumeRateLimit')
    const engine = engineOn(store)
    const input = { key: 'login:dee', limit: 1, windowMs: 60_000, now: 0 }
    expect((await engine.store.consumeRateLimit(input)).allowed).toBe(true)
    expect((await store.consumeRateLimit(input)).allowed).toBe(false) // the same counter
    expect(consume).toHaveBeenCalledTimes(2)
    const issued = await engine.signIn({ subject: 'dee' })
    expect(await engine.store.updateSessionData(issued.session.id, { data: 'd', expectedVersion: 0 })).toBe(1)
    expect(await store.getSession(issued.session.id)).toMatchObject({ data: 'd', dataVersion: 1 })
    expect(warn).not.toHaveBeenCalled()
  })
})
