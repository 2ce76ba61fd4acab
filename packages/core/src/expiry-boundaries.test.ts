/**
 * Lifetimes at the exact millisecond, and two instances whose clocks disagree.
 * A refresh token is valid while `now < expiresAt` (idle, sliding) and while
 * `now < absoluteExpiresAt`; a used token is graced while
 * `now - usedAt < reuseGrace`; an access token is accepted until
 * `exp + clockTolerance` and refused when issued more than `clockTolerance`
 * in the future. Each boundary is checked from both sides, one ms apart.
 */
import { describe, expect, it } from 'vitest'
import { MemorySessionStore } from './memory-store.js'
import { createSessionEngine, type SessionEngine } from './session-engine.js'
import type { SessionStore } from './session-store.js'
import { type ManualClock, manualClock } from './testing/fixtures.js'

const T0 = Date.UTC(2030, 0, 1)
const SECRET = 'expiry-boundaries-secret-0123456789abcdef'

function instance(
  store: SessionStore,
  clock: ManualClock,
  ttl = { refreshTokenTtl: 60, sessionTtl: 300 },
): SessionEngine {
  return createSessionEngine({
    store,
    secret: SECRET,
    issuer: 'https://app.test',
    clock,
    reuseGrace: 10,
    clockTolerance: 5,
    ...ttl,
  })
}

const code = (promise: Promise<unknown>) =>
  promise.then(
    () => 'ok',
    (error: { code?: string }) => error.code ?? String(error),
  )

describe('idle and absolute lifetimes at the boundary', () => {
  it('idle: a token refreshes 1 ms before its expiry and is expired at it', async () => {
    for (const offset of [-1, 0]) {
      const clock = manualClock(T0)
      const engine = instance(new MemorySessionStore(), clock)
      const issued = await engine.signIn({ subject: 'u' })
      clock.set(issued.refreshTokenExpiresAt + offset)
      expect(await code(engine.refresh({ refreshToken: issued.refreshToken }))).toBe(
        offset < 0 ? 'ok' : 'ERR_SESSION_EXPIRED',
      )
    }
  })

  it('sliding: each rotation renews the idle lifetime, from the moment of the rotation', async () => {
    const clock = manualClock(T0)
    const engine = instance(new MemorySessionStore(), clock)
    let token = (await engine.signIn({ subject: 'u' })).refreshToken
    for (let i = 0; i < 4; i++) {
      clock.advance(59_999)
      const next = await engine.refresh({ refreshToken: token })
      expect(next.refreshTokenExpiresAt).toBe(clock.now() + 60_000)
      token = next.refreshToken
    }
    clock.advance(60_000)
    expect(await code(engine.refresh({ refreshToken: token }))).toBe('ERR_SESSION_EXPIRED')
  })

  it('absolute: sliding stops at the session cap; 1 ms before it works, at it nothing does', async () => {
    for (const offset of [-1, 0]) {
      const clock = manualClock(T0)
      const engine = instance(new MemorySessionStore(), clock)
      const issued = await engine.signIn({ subject: 'u' })
      const cap = issued.session.absoluteExpiresAt
      let token = issued.refreshToken
      while (clock.now() + 50_000 < cap) {
        clock.advance(50_000)
        token = (await engine.refresh({ refreshToken: token })).refreshToken
      }
      clock.set(cap - 1)
      const last = await engine.refresh({ refreshToken: token })
      expect(last.refreshTokenExpiresAt).toBe(cap)
      expect(last.accessTokenExpiresAt).toBeLessThanOrEqual(cap)
      clock.set(cap + offset)
      // The live successor, and a graced retry of its parent, meet the same boundary.
      const expected = offset < 0 ? 'ok' : 'ERR_SESSION_EXPIRED'
      expect(await code(engine.refresh({ refreshToken: token }))).toBe(expected)
      expect(await code(engine.refresh({ refreshToken: last.refreshToken }))).toBe(expected)
    }
  })

  it('grace: a used token comes back graced until reuseGrace - 1 ms; at reuseGrace it is reuse', async () => {
    for (const [offset, expected] of [
      [9_999, 'ok'],
      [10_000, 'ERR_REFRESH_TOKEN_REUSED'],
    ] as const) {
      const clock = manualClock(T0)
      const engine = instance(new MemorySessionStore(), clock)
      const issued = await engine.signIn({ subject: 'u' })
      await engine.refresh({ refreshToken: issued.refreshToken })
      clock.advance(offset)
      expect(await code(engine.refresh({ refreshToken: issued.refreshToken }))).toBe(expected)
    }
  })
})

describe('two instances with skewed clocks, one store', () => {
  /** Instance A runs `skewMs` ahead of instance B. */
  function pair(skewMs: number) {
    const store = new MemorySessionStore()
    const clockA = manualClock(T0 + skewMs)
    const clockB = manualClock(T0)
    const a = instance(store, clockA)
    const b = instance(store, clockB)
    const tick = (ms: number) => {
      clockA.advance(ms)
      clockB.advance(ms)
    }
    return { a, b, tick }
  }

  it.each([4_999, -4_999, 5_000, -5_000])(
    'skew %i ms (within the 5 s tolerance): each accepts the access tokens of the other, fresh and near expiry',
    async (skew) => {
      const { a, b, tick } = pair(skew)
      const fromA = await a.signIn({ subject: 'u' })
      const fromB = await b.signIn({ subject: 'u' })
      await expect(b.verifyAccessToken(fromA.accessToken)).resolves.toMatchObject({ subject: 'u' })
      await expect(a.verifyAccessToken(fromB.accessToken)).resolves.toMatchObject({ subject: 'u' })
      tick(299_000) // 1 s before expiry on the issuer's clock (the 300 s session cap)
      await expect(b.verifyAccessToken(fromA.accessToken)).resolves.toBeDefined()
      await expect(a.verifyAccessToken(fromB.accessToken)).resolves.toBeDefined()
    },
  )

  it('skew beyond the tolerance: the instance behind refuses tokens issued "in the future"', async () => {
    const { a, b } = pair(6_000)
    const fromA = await a.signIn({ subject: 'u' })
    await expect(b.verifyAccessToken(fromA.accessToken)).rejects.toMatchObject({ code: 'ERR_ACCESS_TOKEN_INVALID' })
  })

  it.each([4_000, -4_000])(
    'skew %i ms: a refresh split across the instances gets one successor, and the chain continues on either',
    async (skew) => {
      const { a, b, tick } = pair(skew)
      const issued = await a.signIn({ subject: 'u' })
      const [onA, onB] = await Promise.all([
        a.refresh({ refreshToken: issued.refreshToken }),
        b.refresh({ refreshToken: issued.refreshToken }),
      ])
      expect(onA.refreshToken).toBe(onB.refreshToken)
      tick(1_000)
      const next = await b.refresh({ refreshToken: onA.refreshToken })
      await expect(a.verifyAccessToken(next.accessToken)).resolves.toMatchObject({ subject: 'u' })
      expect((await a.refresh({ refreshToken: next.refreshToken })).graced).toBe(false)
    },
  )

  it('grace is measured on the clock of the instance that sees the retry: skew shifts the window by the skew', async () => {
    // B runs 4 s ahead of A. A rotates; B sees the retry 5.999 s later (9.999 s on its clock vs A's stamp): graced.
    for (const [after, expected] of [
      [5_999, 'ok'],
      [6_000, 'ERR_REFRESH_TOKEN_REUSED'],
    ] as const) {
      const { a, b, tick } = pair(-4_000)
      const issued = await a.signIn({ subject: 'u' })
      await a.refresh({ refreshToken: issued.refreshToken })
      tick(after)
      expect(await code(b.refresh({ refreshToken: issued.refreshToken }))).toBe(expected)
    }
  })
})
