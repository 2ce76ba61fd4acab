import { describe, expect, it } from 'vitest'
import {
  MemorySessionStore,
  memoryRevocationHub,
  type RevocationFeed,
  type RevocationListener,
  RevocationSet,
  SessionRevokedError,
} from './index.js'
import { createSessionEngine } from './session-engine.js'

const SECRET = 'revocation-feed-test-secret-0123456789'

function pair(feeds: [RevocationFeed, RevocationFeed]) {
  const store = new MemorySessionStore()
  const make = (revocations: RevocationFeed) =>
    createSessionEngine({ store, secret: SECRET, issuer: 'baton', revocations })
  return { store, a: make(feeds[0]), b: make(feeds[1]) }
}

/** A feed under the test's control: nothing is delivered unless the test says so. */
function manualFeed() {
  let listener: RevocationListener | undefined
  const feed: RevocationFeed = {
    start(l) {
      listener = l
      return () => undefined
    },
    async publish() {},
  }
  return { feed, health: (ok: boolean) => listener?.health(ok) }
}

describe('revocations pushed to every instance', () => {
  it('a stateless check on another instance refuses a session revoked there, without reading the store', async () => {
    const hub = memoryRevocationHub()
    const { a, b, store } = pair([hub.feed(), hub.feed()])
    const issued = await a.signIn({ subject: 'u1' })
    await expect(b.verifyAccessToken(issued.accessToken)).resolves.toMatchObject({ sessionId: issued.session.id })
    let reads = 0
    const getSession = store.getSession.bind(store)
    store.getSession = async (id) => {
      reads++
      return getSession(id)
    }
    await a.revokeSession({ sessionId: issued.session.id })
    const before = reads
    await expect(b.verifyAccessToken(issued.accessToken)).rejects.toBeInstanceOf(SessionRevokedError)
    expect(reads).toBe(before)
    const other = await a.signIn({ subject: 'u2' })
    await a.revokeAllSessions({ subject: 'u2' })
    await expect(b.verifyAccessToken(other.accessToken)).rejects.toBeInstanceOf(SessionRevokedError)
  })

  it('never fails open: while the feed is not healthy, stateless checks read the store', async () => {
    const manual = manualFeed()
    const hub = memoryRevocationHub()
    const { a, b } = pair([hub.feed(), manual.feed])
    const kept = await a.signIn({ subject: 'u1' })
    const ended = await a.signIn({ subject: 'u2' })
    await a.revokeSession({ sessionId: ended.session.id }) // B hears nothing: its feed delivers nothing
    await expect(b.verifyAccessToken(ended.accessToken)).rejects.toBeInstanceOf(SessionRevokedError)
    await expect(b.verifyAccessToken(kept.accessToken)).resolves.toMatchObject({ subject: 'u1' })
    manual.health(true) // healthy (and, here, wrongly so): stateless again, as without a feed
    await expect(b.verifyAccessToken(ended.accessToken)).resolves.toMatchObject({ subject: 'u2' })
    manual.health(false)
    await expect(b.verifyAccessToken(ended.accessToken)).rejects.toBeInstanceOf(SessionRevokedError)
  })

  it('while the feed is not healthy, a cached strict "not revoked" is not trusted either', async () => {
    const manual = manualFeed()
    const hub = memoryRevocationHub()
    const { a, b } = pair([hub.feed(), manual.feed])
    const s = await a.signIn({ subject: 'u1' })
    await b.verifyAccessToken(s.accessToken) // starts B's feed
    manual.health(true)
    await b.verifyAccessToken(s.accessToken, { strict: true }) // caches "not revoked" for revocationCacheTtl
    manual.health(false)
    await a.revokeSession({ sessionId: s.session.id }) // B hears nothing
    await expect(b.verifyAccessToken(s.accessToken)).rejects.toBeInstanceOf(SessionRevokedError)
  })

  it('forgets a revocation once every access token of the session has expired', () => {
    const set = new RevocationSet()
    set.add([
      { sessionId: 's1', until: 10_000 },
      { sessionId: 's2', until: 50_000 },
    ])
    expect([set.has('s1', 9_999), set.has('s2', 9_999), set.has('s3', 9_999)]).toEqual([true, true, false])
    expect(set.has('s1', 20_000)).toBe(false)
    expect(set.size).toBe(1)
    set.add([{ sessionId: 's2', until: 1 }]) // an older entry never shortens a newer one
    expect(set.has('s2', 40_000)).toBe(true)
  })
})
