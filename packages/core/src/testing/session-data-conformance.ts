import { describe, expect, it } from 'vitest'
import { randomId } from '../internal/encoding.js'
import type { SessionDataStore, TokenFamilyStore } from '../session-store.js'
import { sessionRecord, tokenRecord } from './fixtures.js'
import { type StoreConformanceOptions, useStore } from './use-store.js'

const T0 = Date.UTC(2026, 0, 1)

/**
 * The {@link SessionDataStore} contract as executable tests (vitest): the
 * compare-and-set on `dataVersion` under concurrent writers, and data that
 * survives the token-family operations. Session data lives on sessions, so
 * the store is also a `TokenFamilyStore`.
 *
 * ```ts
 * describeSessionDataStoreContract('my store', { createStore: () => new MyStore(db) })
 * ```
 */
export function describeSessionDataStoreContract(
  name: string,
  options: StoreConformanceOptions<TokenFamilyStore & SessionDataStore>,
): void {
  const n = options.concurrency ?? 25
  describe(`${name}: SessionDataStore contract`, () => {
    const store = useStore(options)

    it(`updates session data by compare-and-set; one of ${n} concurrent writers wins`, async () => {
      const session = sessionRecord()
      await store().createSession(session, tokenRecord(session))
      expect(await store().updateSessionData(session.id, { data: 'v1', expectedVersion: 0 })).toBe(1)
      expect(await store().updateSessionData(session.id, { data: 'stale', expectedVersion: 0 })).toBeNull()
      expect(await store().updateSessionData(randomId(), { data: 'x', expectedVersion: 0 })).toBeNull()
      const writes = await Promise.all(
        Array.from({ length: n }, (_, i) =>
          store().updateSessionData(session.id, { data: `w${i}`, expectedVersion: 1 }),
        ),
      )
      const won = writes.flatMap((v, i) => (v === 2 ? [i] : []))
      expect(won).toHaveLength(1)
      expect(writes.filter((v) => v === null)).toHaveLength(n - 1)
      expect(await store().getSession(session.id)).toMatchObject({ data: `w${won[0]}`, dataVersion: 2 })
    })

    it('keeps data and dataVersion through a rotation and a revocation', async () => {
      const session = sessionRecord({ data: 'sealed:v0', dataVersion: 3 })
      const token = tokenRecord(session)
      await store().createSession(session, token)
      expect(await store().getSession(session.id)).toMatchObject({ data: 'sealed:v0', dataVersion: 3 })
      expect(await store().updateSessionData(session.id, { data: 'sealed:v1', expectedVersion: 3 })).toBe(4)
      const successor = tokenRecord(session, { parentHash: token.hash })
      const update = { lastUsedAt: T0 + 1, expiresAt: session.expiresAt, userAgent: null, ip: null }
      const rotated = await store().rotateRefreshToken({
        hash: token.hash,
        sessionId: session.id,
        usedAt: T0 + 1,
        successor,
        session: update,
      })
      expect(rotated).toEqual({ status: 'rotated' })
      expect((await store().findRefreshToken(successor.hash))?.session).toMatchObject({
        data: 'sealed:v1',
        dataVersion: 4,
      })
      expect(await store().revokeSession(session.id, { at: T0 + 2, reason: 'signed_out' })).toBe(true)
      expect(await store().getSession(session.id)).toMatchObject({ data: 'sealed:v1', dataVersion: 4 })
      // Upstream mode clears a revoked session's tokens by the same compare-and-set.
      expect(await store().updateSessionData(session.id, { data: null, expectedVersion: 4 })).toBe(5)
      expect(await store().getSession(session.id)).toMatchObject({ data: null, dataVersion: 5 })
    })
  })
}
