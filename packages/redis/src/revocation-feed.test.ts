import { createSessionEngine, MemorySessionStore, type SessionEngine, SessionRevokedError } from '@baton/core'
import { createClient } from 'redis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { deleteKeys, REDIS_URL, redisAvailable, testPrefix } from './redis-server.fixture.js'
import { createRedisRevocationFeed } from './revocation-feed.js'

const SECRET = 'redis-revocation-feed-test-secret-0123456789'
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const available = await redisAvailable()

if (available) {
  describe('revocations over Redis pub/sub (two instances, one server)', () => {
    const prefix = testPrefix()
    const channel = `${prefix}channel`
    const key = `${prefix}log`
    const bName = `baton-b-${prefix.split(':')[1]}`
    const clientA = createClient({ url: REDIS_URL })
    const clientB = createClient({ url: REDIS_URL, name: bName })
    const admin = createClient({ url: REDIS_URL })
    const stops: (() => Promise<void> | void)[] = []
    let a: SessionEngine
    let b: SessionEngine
    let bReads = 0
    beforeAll(async () => {
      await Promise.all([clientA.connect(), clientB.connect(), admin.connect()])
      const feed = (client: typeof clientA) => {
        const inner = createRedisRevocationFeed({ client, channel, key })
        return {
          publish: inner.publish,
          start: (listener: Parameters<typeof inner.start>[0]) => {
            const stop = inner.start(listener)
            stops.push(stop)
            return stop
          },
        }
      }
      const store = new MemorySessionStore()
      const storeB = Object.create(store) as MemorySessionStore
      storeB.getSession = async (id) => {
        bReads++
        return store.getSession(id)
      }
      a = createSessionEngine({ store, secret: SECRET, issuer: 'baton', revocations: feed(clientA) })
      b = createSessionEngine({ store: storeB, secret: SECRET, issuer: 'baton', revocations: feed(clientB) })
    })
    afterAll(async () => {
      for (const stop of stops) await stop()
      await deleteKeys(admin, prefix)
      expect(await admin.keys(`${prefix}*`)).toEqual([])
      await Promise.all([clientA.close(), clientB.close(), admin.close()])
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

    /** B's subscriber connections (named after B's client, in pub/sub). */
    async function bSubscribers(): Promise<string[]> {
      const list = await admin.clientList()
      return list.filter((c) => c.name === bName && Number(c.sub) > 0).map((c) => String(c.id))
    }

    it('a session revoked on A is refused by a stateless check on B within 100 ms, without a store read', async () => {
      const keep = await a.signIn({ subject: 'keep' })
      await bHealthy(keep.accessToken)
      const timings: number[] = []
      for (let i = 0; i < 20; i++) {
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
          await sleep(1)
        }
        timings.push(performance.now() - t0)
        expect(bReads).toBe(readsBefore)
      }
      timings.sort((x, y) => x - y)
      console.info(
        `[baton] Redis revocation propagation, 20 trials: median ${timings[10]?.toFixed(1)} ms, max ${timings[19]?.toFixed(1)} ms`,
      )
      expect(timings[19]).toBeLessThan(100)
      // The catch-up log holds them, scored by until when their tokens may live.
      expect(await admin.zCard(key)).toBeGreaterThanOrEqual(20)
    })

    it('a killed subscriber connection (CLIENT KILL): no revoked session is accepted meanwhile, then B recovers', async () => {
      const keep = await a.signIn({ subject: 'keep' })
      await bHealthy(keep.accessToken)
      const [id] = await bSubscribers()
      expect(id).toBeDefined()
      await admin.sendCommand(['CLIENT', 'KILL', 'ID', String(id)])
      // Until B's client sees the connection close, B cannot know (the documented limit); once it has,
      // its checks read the store. Wait for that, as the Postgres test waits for the client's 'end'.
      for (let i = 0; ; i++) {
        const before = bReads
        await b.verifyAccessToken(keep.accessToken)
        if (bReads > before) break
        if (i > 1000) throw new Error('B never noticed the killed subscriber')
        await sleep(1)
      }
      // B's subscriber is gone: a revocation published now may never reach it. B must still refuse.
      const first = await a.signIn({ subject: 'victim' })
      await a.revokeSession({ sessionId: first.session.id })
      await expect(b.verifyAccessToken(first.accessToken)).rejects.toBeInstanceOf(SessionRevokedError)
      // Through the reconnection and the catch-up: every revoked session is refused, within 100 ms at worst.
      const t0 = Date.now()
      let trials = 0
      while (Date.now() - t0 < 2000) {
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
      // Resubscribed on a new connection and caught up: stateless again, the outage's revocation known without a read.
      await bHealthy(keep.accessToken)
      const [newId] = await bSubscribers()
      expect(newId).toBeDefined()
      expect(newId).not.toBe(id)
      const reads = bReads
      await expect(b.verifyAccessToken(first.accessToken)).rejects.toBeInstanceOf(SessionRevokedError)
      expect(bReads).toBe(reads)
    })

    it('a subscriber that starts after a revocation learns it from the log (catch-up)', async () => {
      const s = await a.signIn({ subject: 'late' })
      await a.revokeSession({ sessionId: s.session.id })
      const late = createRedisRevocationFeed({ client: clientA, channel, key })
      const c = createSessionEngine({
        store: new MemorySessionStore(),
        secret: SECRET,
        issuer: 'baton',
        revocations: {
          ...late,
          start: (listener) => {
            const stop = late.start(listener)
            stops.push(stop)
            return stop
          },
        },
      })
      // The new instance has no such session in its own store: only the log can refuse it.
      for (let i = 0; i < 200; i++) {
        const refused = await c.verifyAccessToken(s.accessToken).then(
          () => false,
          (e) => e instanceof SessionRevokedError,
        )
        if (refused) return
        await sleep(10)
      }
      throw new Error('the late instance never learned the revocation')
    })
  })
} else {
  console.warn(`[baton] Redis revocation feed tests SKIPPED: no Redis server answers at ${REDIS_URL} (set REDIS_URL).`)
  describe('revocations over Redis pub/sub', () => {
    it.skip(`SKIPPED: no Redis server at ${REDIS_URL}`, () => {})
  })
}
