import { describe, expect, it } from 'vitest'
import { isBatonError } from '../errors.js'
import { createSessionEngine, type SessionEngine } from '../session-engine.js'
import type { TokenFamilyStore } from '../session-store.js'
import { type ManualClock, manualClock } from './fixtures.js'
import { type StoreConformanceOptions, useStore } from './use-store.js'

const SECRET = 'conformance-secret-0123456789abcdef'

function engineFor(store: TokenFamilyStore, clock: ManualClock, reuseGrace = 10): SessionEngine {
  return createSessionEngine({ store, secret: SECRET, issuer: 'https://conformance.test', clock, reuseGrace })
}

function codeOf(result: PromiseSettledResult<unknown>): string {
  if (result.status === 'fulfilled') return 'ok'
  return isBatonError(result.reason) ? result.reason.code : `unexpected: ${String(result.reason)}`
}

/**
 * The session engine's rotation semantics run on top of a store: what a user
 * sees when tabs race, responses get lost or tokens get stolen.
 */
export function describeSessionEngineContract(name: string, options: StoreConformanceOptions<TokenFamilyStore>): void {
  const n = options.concurrency ?? 25
  describe(`${name}: rotation semantics through the engine`, () => {
    const store = useStore(options)

    it('rotates a chain; each token is single-use and the old one gets the same successor within grace', async () => {
      const clock = manualClock()
      const engine = engineFor(store(), clock)
      const first = await engine.signIn({ subject: 'u1', user: { name: 'U' }, meta: { ip: '198.51.100.1' } })
      clock.advance(1000)
      const second = await engine.refresh({ refreshToken: first.refreshToken })
      expect(second.refreshToken).not.toBe(first.refreshToken)
      expect(second.session.id).toBe(first.session.id)
      clock.advance(2000)
      const retried = await engine.refresh({ refreshToken: first.refreshToken })
      expect(retried.refreshToken).toBe(second.refreshToken)
      expect(retried.graced).toBe(true)
      const third = await engine.refresh({ refreshToken: second.refreshToken })
      expect(third.refreshToken).not.toBe(second.refreshToken)
      const verified = await engine.verifyAccessToken(third.accessToken, { strict: true })
      expect(verified).toMatchObject({ subject: 'u1', sessionId: first.session.id, user: { name: 'U' } })
    })

    it('revokes the family when a used token returns after the grace window', async () => {
      const clock = manualClock()
      const engine = engineFor(store(), clock)
      const first = await engine.signIn({ subject: 'u2' })
      const second = await engine.refresh({ refreshToken: first.refreshToken })
      clock.advance(10_000)
      await expect(engine.refresh({ refreshToken: first.refreshToken })).rejects.toMatchObject({
        code: 'ERR_REFRESH_TOKEN_REUSED',
      })
      await expect(engine.refresh({ refreshToken: second.refreshToken })).rejects.toMatchObject({
        code: 'ERR_SESSION_REVOKED',
      })
      await expect(engine.verifyAccessToken(second.accessToken, { strict: true })).rejects.toMatchObject({
        code: 'ERR_SESSION_REVOKED',
      })
      expect(await engine.listSessions({ subject: 'u2' })).toEqual([])
      expect((await store().getSession(first.session.id))?.revokeReason).toBe('refresh_token_reused')
    })

    it(`gives ${n} concurrent refreshes of one token the same successor (grace on)`, async () => {
      const clock = manualClock()
      const engine = engineFor(store(), clock)
      const start = await engine.signIn({ subject: 'u3' })
      const results = await Promise.allSettled(
        Array.from({ length: n }, () => engine.refresh({ refreshToken: start.refreshToken })),
      )
      expect(results.map(codeOf)).toEqual(Array(n).fill('ok'))
      const tokens = new Set(
        results.map((r) => (r as PromiseFulfilledResult<{ refreshToken: string }>).value.refreshToken),
      )
      expect(tokens.size).toBe(1)
      const [successor] = [...tokens] as [string]
      const next = await engine.refresh({ refreshToken: successor })
      expect(next.refreshToken).not.toBe(successor)
    })

    it(`lets one of ${n} concurrent refreshes win and treats the rest as reuse (grace 0)`, async () => {
      const clock = manualClock()
      const engine = engineFor(store(), clock, 0)
      const start = await engine.signIn({ subject: 'u4' })
      const results = await Promise.allSettled(
        Array.from({ length: n }, () => engine.refresh({ refreshToken: start.refreshToken })),
      )
      const codes = results.map(codeOf)
      expect(codes.filter((c) => c === 'ok')).toHaveLength(1)
      // A loser that reads the family after another loser's reuse revoked it is
      // refused as revoked (a loaded machine serialises some of the n calls);
      // every loser is refused, and at least one saw the reuse.
      const losers = codes.filter((c) => c !== 'ok')
      expect(losers.every((c) => c === 'ERR_REFRESH_TOKEN_REUSED' || c === 'ERR_SESSION_REVOKED')).toBe(true)
      expect(losers.filter((c) => c === 'ERR_REFRESH_TOKEN_REUSED').length).toBeGreaterThanOrEqual(1)
      expect((await store().getSession(start.session.id))?.revokedAt).not.toBeNull()
    })

    it('expires a session at its idle and absolute limits, exactly at the boundary', async () => {
      const clock = manualClock()
      const engine = createSessionEngine({
        store: store(),
        secret: SECRET,
        issuer: 'https://conformance.test',
        clock,
        refreshTokenTtl: 60,
        sessionTtl: 100,
      })
      const a = await engine.signIn({ subject: 'u5' })
      clock.advance(59_999)
      const b = await engine.refresh({ refreshToken: a.refreshToken })
      expect(b.refreshTokenExpiresAt).toBe(a.session.createdAt + 100_000)
      clock.set(a.session.createdAt + 100_000)
      await expect(engine.refresh({ refreshToken: b.refreshToken })).rejects.toMatchObject({
        code: 'ERR_SESSION_EXPIRED',
      })
      const c = await engine.signIn({ subject: 'u5' })
      clock.advance(60_000)
      await expect(engine.refresh({ refreshToken: c.refreshToken })).rejects.toMatchObject({
        code: 'ERR_SESSION_EXPIRED',
      })
    })

    it('signs out one session, and every session of a subject but the current one', async () => {
      const clock = manualClock()
      const engine = engineFor(store(), clock)
      const one = await engine.signIn({ subject: 'u6' })
      const two = await engine.signIn({ subject: 'u6' })
      const three = await engine.signIn({ subject: 'u6' })
      await engine.signOut({ refreshToken: one.refreshToken })
      await expect(engine.refresh({ refreshToken: one.refreshToken })).rejects.toMatchObject({
        code: 'ERR_SESSION_REVOKED',
      })
      expect(await engine.revokeSession({ sessionId: two.session.id, subject: 'someone-else' })).toBe(false)
      expect(await engine.revokeAllSessions({ subject: 'u6', exceptSessionId: three.session.id })).toBe(1)
      expect((await engine.listSessions({ subject: 'u6' })).map((s) => s.id)).toEqual([three.session.id])
      expect((await engine.refresh({ refreshToken: three.refreshToken })).session.id).toBe(three.session.id)
    })
  })
}
