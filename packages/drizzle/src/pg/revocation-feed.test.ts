import { randomBytes } from 'node:crypto'
import { createSessionEngine, type SessionEngine, SessionRevokedError } from '@baton/core'
import { getTableName } from 'drizzle-orm'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DATABASE_URL, tempPgSchema } from './pg-server.fixture.js'
import { PgSessionStore } from './pg-store.js'
import { createPgRevocationFeed, notifyPayloads, type PgListenClient } from './revocation-feed.js'

const SECRET = 'pg-revocation-feed-test-secret-0123456789'
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('notifyPayloads', () => {
  it('batches revocations into NOTIFY payloads under 8000 bytes, none lost', () => {
    const entries = Array.from({ length: 1000 }, (_, i) => ({
      sessionId: `session-${i}-${'x'.repeat(20)}`,
      until: 1e12 + i,
    }))
    const payloads = notifyPayloads(entries)
    expect(payloads.length).toBeGreaterThan(1)
    for (const p of payloads) expect(Buffer.byteLength(p)).toBeLessThan(8000)
    expect(payloads.flatMap((p) => JSON.parse(p)).length).toBe(1000)
  })
})

if (DATABASE_URL) {
  const url = DATABASE_URL
  describe('revocations over Postgres LISTEN/NOTIFY (two instances, one server)', () => {
    let temp: Awaited<ReturnType<typeof tempPgSchema>>
    const channel = `baton_rev_${randomBytes(4).toString('hex')}`
    const listeners: { who: string; client: PgListenClient; pid: number; ended: Promise<void> }[] = []
    let a: SessionEngine
    let b: SessionEngine
    let bReads = 0
    beforeAll(async () => {
      temp = await tempPgSchema(url)
      const feed = (who: string) =>
        createPgRevocationFeed({
          pool: temp.pool,
          channel,
          sessionsTable: getTableName(new PgSessionStore(temp.db).tables.sessions),
          listen: async () => {
            const client = new pg.Client({ connectionString: url, options: `-c search_path=${temp.schema}` })
            const ended = new Promise<void>((resolve) => client.once('end', () => resolve()))
            await client.connect()
            const { rows } = await client.query('SELECT pg_backend_pid() AS pid')
            listeners.push({ who, client: client as unknown as PgListenClient, pid: rows[0].pid, ended })
            return client as unknown as PgListenClient
          },
        })
      const storeB = new PgSessionStore(temp.db)
      const getSession = storeB.getSession.bind(storeB)
      storeB.getSession = async (id) => {
        bReads++
        return getSession(id)
      }
      a = createSessionEngine({
        store: new PgSessionStore(temp.db),
        secret: SECRET,
        issuer: 'baton',
        revocations: feed('a'),
      })
      b = createSessionEngine({ store: storeB, secret: SECRET, issuer: 'baton', revocations: feed('b') })
    })
    afterAll(async () => {
      for (const { client } of listeners) await client.end().catch(() => undefined)
      await temp?.dispose()
    })

    /** Waits until B checks a valid token statelessly again (its feed is healthy: no store read). */
    async function bHealthy(token: string) {
      for (let i = 0; i < 200; i++) {
        const before = bReads
        await b.verifyAccessToken(token)
        if (bReads === before) return
        await sleep(25)
      }
      throw new Error('B never became healthy')
    }

    it('a session revoked on A is refused by a stateless check on B within 100 ms, without a store read', async () => {
      const keep = await a.signIn({ subject: 'keep' })
      await bHealthy(keep.accessToken)
      const timings: number[] = []
      for (let i = 0; i < 10; i++) {
        const s = await a.signIn({ subject: `u${i}` })
        await b.verifyAccessToken(s.accessToken)
        const readsBefore = bReads
        const t0 = performance.now()
        await a.revokeSession({ sessionId: s.session.id })
        for (;;) {
          const refused = await b.verifyAccessToken(s.accessToken).then(
            () => false,
            (e) => e instanceof SessionRevokedError,
          )
          if (refused) break
          if (performance.now() - t0 > 2000) throw new Error('not propagated within 2 s')
          await sleep(2)
        }
        timings.push(performance.now() - t0)
        expect(bReads).toBe(readsBefore)
      }
      timings.sort((x, y) => x - y)
      console.info(
        `[baton] Postgres revocation propagation, 10 trials: median ${timings[5]?.toFixed(1)} ms, max ${timings[9]?.toFixed(1)} ms`,
      )
      expect(timings[9]).toBeLessThan(100)
    })

    it('a killed LISTEN connection (pg_terminate_backend): no revoked session is accepted meanwhile, then B recovers', async () => {
      const keep = await a.signIn({ subject: 'keep' })
      await bHealthy(keep.accessToken)
      const live = listeners.filter((l) => l.who === 'b').at(-1) as (typeof listeners)[number]
      const admin = new pg.Client({ connectionString: url })
      await admin.connect()
      try {
        await admin.query('SELECT pg_terminate_backend($1)', [live.pid])
        await live.ended
        // B's LISTEN connection is gone: a revocation published now never reaches it. B must still refuse.
        const first = await a.signIn({ subject: 'victim' })
        await a.revokeSession({ sessionId: first.session.id })
        await expect(b.verifyAccessToken(first.accessToken)).rejects.toBeInstanceOf(SessionRevokedError)
        // Through the reconnection and the catch-up: every revoked session is refused, within 100 ms at worst.
        const t0 = Date.now()
        let trials = 0
        while (Date.now() - t0 < 3000) {
          const s = await a.signIn({ subject: 'victim' })
          await a.revokeSession({ sessionId: s.session.id })
          const revokedAt = performance.now()
          for (;;) {
            const refused = await b.verifyAccessToken(s.accessToken).then(
              () => false,
              (e) => e instanceof SessionRevokedError,
            )
            if (refused) break
            expect(performance.now() - revokedAt).toBeLessThan(100)
            await sleep(2)
          }
          await expect(b.verifyAccessToken(keep.accessToken)).resolves.toMatchObject({ subject: 'keep' })
          await expect(b.verifyAccessToken(first.accessToken)).rejects.toBeInstanceOf(SessionRevokedError)
          trials++
          await sleep(50)
        }
        expect(trials).toBeGreaterThan(10)
      } finally {
        await admin.end()
      }
      // Reconnected and caught up: stateless again, and a revocation from the outage is known without a read.
      expect(listeners.filter((l) => l.who === 'b').length).toBeGreaterThanOrEqual(2)
      await bHealthy(keep.accessToken)
    })
  })
} else {
  console.warn('[baton] Postgres revocation feed tests SKIPPED: DATABASE_URL is not set.')
  describe('revocations over Postgres LISTEN/NOTIFY', () => {
    it.skip('SKIPPED: DATABASE_URL is not set', () => {})
  })
}
