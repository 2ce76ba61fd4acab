import { execFileSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { createSessionEngine, SessionRevokedError } from '@baton/core'
import { afterAll, describe, expect, it } from 'vitest'
import { createSqliteRevocationFeed } from './revocation-feed.js'
import { SqliteSessionStore } from './sqlite-store.js'
import { tempSqlite } from './temp-database.fixture.js'

const SECRET = 'sqlite-revocation-feed-test-secret-0123456789'
const sqliteModule = createRequire(import.meta.url).resolve('better-sqlite3')
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Revokes a session from another OS process, as another instance on the host would. */
function revokeElsewhere(file: string, sessionId: string): void {
  const script = `const D = require(${JSON.stringify(sqliteModule)}); const db = new D(${JSON.stringify(file)});
    db.pragma('busy_timeout = 5000');
    db.prepare("UPDATE baton_sessions SET revoked_at = ?, revoke_reason = 'revoked' WHERE id = ?").run(Date.now(), ${JSON.stringify(sessionId)});
    db.close()`
  execFileSync(process.execPath, ['-e', script])
}

describe('revocations between processes on one SQLite file', () => {
  const temp = tempSqlite()
  const { db } = temp
  const store = new SqliteSessionStore(db)
  let reads = 0
  const getSession = store.getSession.bind(store)
  store.getSession = async (id) => {
    reads++
    return getSession(id)
  }
  const engine = createSessionEngine({
    store,
    secret: SECRET,
    issuer: 'baton',
    revocations: createSqliteRevocationFeed({ database: db.$client, interval: 20 }),
  })
  afterAll(() => temp.dispose())

  it('a session revoked by another process is refused by a stateless check here within ~interval, with no store read', async () => {
    const keep = await engine.signIn({ subject: 'keep' })
    await engine.verifyAccessToken(keep.accessToken) // starts the feed
    await sleep(50)
    const timings: number[] = []
    for (let i = 0; i < 5; i++) {
      const s = await engine.signIn({ subject: `u${i}` })
      await expect(engine.verifyAccessToken(s.accessToken)).resolves.toMatchObject({ subject: `u${i}` })
      const before = reads
      revokeElsewhere(temp.file, s.session.id)
      const t0 = performance.now()
      for (;;) {
        const refused = await engine.verifyAccessToken(s.accessToken).then(
          () => false,
          (e) => e instanceof SessionRevokedError,
        )
        if (refused) break
        if (performance.now() - t0 > 2000) throw new Error('not seen within 2 s')
        await sleep(2)
      }
      timings.push(performance.now() - t0)
      expect(reads).toBe(before)
    }
    console.info(
      `[baton] SQLite cross-process revocation seen after ${timings.map((t) => t.toFixed(0)).join(', ')} ms (interval 20 ms)`,
    )
    expect(Math.max(...timings)).toBeLessThan(500)
    await expect(engine.verifyAccessToken(keep.accessToken)).resolves.toMatchObject({ subject: 'keep' })
  })
})
