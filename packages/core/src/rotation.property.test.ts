import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { isBatonError } from './errors.js'
import { MemorySessionStore } from './memory-store.js'
import { createSessionEngine } from './session-engine.js'
import type { SessionStore } from './session-store.js'
import { manualClock } from './testing/index.js'

/** A store whose every call resolves in an order fast-check chooses. */
function scheduledStore(inner: MemorySessionStore, s: fc.Scheduler): SessionStore {
  return new Proxy(inner, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver)
      if (typeof value !== 'function') return value
      return (...args: unknown[]) => s.schedule(Promise.resolve(), String(name)).then(() => value.apply(target, args))
    },
  })
}

type Step =
  | { kind: 'refresh'; from: number; copies: number }
  | { kind: 'signOut'; from: number }
  | { kind: 'advance'; ms: number }

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('refresh' as const),
      from: fc.nat(6),
      copies: fc.integer({ min: 1, max: 3 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('signOut' as const), from: fc.nat(6) }) },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 15_000 }) }),
  },
)

const EXPECTED = new Set([
  'ERR_REFRESH_TOKEN_REUSED',
  'ERR_SESSION_REVOKED',
  'ERR_REFRESH_TOKEN_INVALID',
  'ERR_SESSION_EXPIRED',
])

describe('rotation under any interleaving (property)', () => {
  it('keeps at most one live token per family and never revives a revoked family', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        fc.array(fc.array(step, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 8 }),
        fc.constantFrom(0, 10),
        async (s, batches, grace) => {
          const clock = manualClock()
          const inner = new MemorySessionStore()
          const engine = createSessionEngine({
            store: scheduledStore(inner, s),
            secret: 'property-secret-0123456789abcdef!!',
            issuer: 'https://p.test',
            clock,
            reuseGrace: grace,
          })
          const start = await s.waitFor(engine.signIn({ subject: 'p' }))
          const sessionId = start.session.id
          const seen = [start.refreshToken]
          let revoked = false
          for (const batch of batches) {
            const ops: Promise<unknown>[] = []
            for (const op of batch) {
              if (op.kind === 'advance') clock.advance(op.ms)
              const token = seen[Math.max(0, seen.length - 1 - (op.kind === 'advance' ? 0 : op.from))]
              if (op.kind === 'signOut') ops.push(engine.signOut({ refreshToken: token }))
              if (op.kind === 'refresh') {
                for (let c = 0; c < op.copies; c++) {
                  ops.push(
                    engine.refresh({ refreshToken: token }).then(
                      (r) => {
                        expect(revoked, 'a refresh succeeded after the family was revoked').toBe(false)
                        if (!seen.includes(r.refreshToken)) seen.push(r.refreshToken)
                      },
                      (e) => expect(isBatonError(e) && EXPECTED.has(e.code), String(e)).toBe(true),
                    ),
                  )
                }
              }
            }
            await s.waitFor(Promise.all(ops))
            const live = []
            for (const token of seen) {
              const found = await inner.findRefreshToken(await sha(token))
              if (
                found &&
                found.token.usedAt === null &&
                found.session.revokedAt === null &&
                clock.now() < found.token.expiresAt
              )
                live.push(token)
            }
            expect(live.length).toBeLessThanOrEqual(1)
            const session = await inner.getSession(sessionId)
            if (revoked) expect(session?.revokedAt).not.toBeNull()
            revoked = session?.revokedAt !== null
            if (revoked) expect(live).toEqual([])
          }
        },
      ),
      { numRuns: 150 },
    )
  })
})

async function sha(token: string): Promise<string> {
  const { sha256 } = await import('./internal/encoding.js')
  return sha256(token)
}
