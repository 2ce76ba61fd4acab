// The native client against the real server layer (createAuthServer with tokenTransport, in a bare
// node:http server): the wire contract both sides were built to, seen working end to end.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { MemorySessionStore } from '../index.js'
import { listen } from '../server/node-listener.fixture.js'
import { ADA, testServer } from '../server/server.fixture.js'
import { createAuthClient } from './native-client.js'
import { memoryTokenStorage } from './token-storage.js'

let served: Awaited<ReturnType<typeof listen>>
let store: MemorySessionStore

beforeEach(async () => {
  store = new MemorySessionStore()
  served = await listen(testServer({ store, tokenTransport: true }))
})
afterEach(() => served.close())

describe('@baton/core/native against createAuthServer', () => {
  it('signs in, reads the device list with Bearer, survives a restart from storage, signs out', async () => {
    const storage = memoryTokenStorage()
    const first = createAuthClient({ basePath: served.base, tokenStorage: storage })
    await first.signIn({ email: ADA.email, password: 'pw' })
    expect(first.getState()).toMatchObject({ status: 'authenticated', user: ADA })
    const stored = await storage.get('baton.refreshToken')
    expect(stored).toMatch(/^brt_/)

    const devices = await first.fetch(`${served.base}/sessions`)
    expect(devices.status).toBe(200)
    expect((await devices.json()).sessions).toHaveLength(1)

    // A restart: a new client with the same storage resumes by rotating the stored token.
    const second = createAuthClient({ basePath: served.base, tokenStorage: storage })
    expect(await second.getAccessToken()).toMatch(/^eyJ/)
    expect(second.getState()).toMatchObject({ status: 'authenticated' })
    const rotated = await storage.get('baton.refreshToken')
    expect(rotated).toMatch(/^brt_/)
    expect(rotated).not.toBe(stored)

    const live = async () => (await store.listSessions('u1')).filter((s) => s.revokedAt === null).length
    expect(await live()).toBe(1)
    await second.signOut()
    expect(await storage.get('baton.refreshToken')).toBeNull()
    expect(await live()).toBe(0)
  })

  it('several concurrent refreshes make one rotation: the family is not revoked', async () => {
    const storage = memoryTokenStorage()
    const c = createAuthClient({ basePath: served.base, tokenStorage: storage })
    await c.signIn({ email: ADA.email, password: 'pw' })
    const restarted = createAuthClient({ basePath: served.base, tokenStorage: storage })
    const tokens = await Promise.all(Array.from({ length: 5 }, () => restarted.getAccessToken()))
    expect(new Set(tokens).size).toBe(1)
    const sessions = await store.listSessions('u1')
    expect(sessions.filter((s) => s.revokedAt === null)).toHaveLength(1)
  })
})
