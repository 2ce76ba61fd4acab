import { createSessionEngine } from '@baton/core'
import { PGlite } from '@electric-sql/pglite'
import { drizzle } from 'drizzle-orm/pglite'
import { describe, expect, it } from 'vitest'
import { pgAuditLog } from './pg/audit-log.js'
import { migrate as migratePg } from './pg/migrate.js'
import { PgSessionStore } from './pg/pg-store.js'
import { sqliteAuditLog } from './sqlite/audit-log.js'
import { SqliteSessionStore } from './sqlite/sqlite-store.js'
import { tempSqlite } from './sqlite/temp-database.fixture.js'

const secret = 'audit-log-secret-0123456789abcdef!!'

describe('audit log', () => {
  it('records lifecycle events in SQLite, without tokens', async () => {
    const { db, dispose } = tempSqlite()
    try {
      const store = new SqliteSessionStore(db)
      const engine = createSessionEngine({ store, secret, issuer: 'https://a.test', onEvent: sqliteAuditLog(db) })
      const a = await engine.signIn({ subject: 'u', meta: { ip: '192.0.2.4', userAgent: 'UA' } })
      const b = await engine.refresh({ refreshToken: a.refreshToken })
      await engine.signOut({ refreshToken: b.refreshToken })
      const rows = db.select().from(store.tables.auditEvents).all()
      expect(rows.map((r) => [r.type, r.subject, r.sessionId, r.graced])).toEqual([
        ['signed_in', 'u', a.session.id, null],
        ['refreshed', 'u', a.session.id, false],
        ['signed_out', 'u', a.session.id, null],
      ])
      expect(rows[0]).toMatchObject({ ip: '192.0.2.4', userAgent: 'UA' })
      expect(JSON.stringify(rows)).not.toContain(a.refreshToken.slice(4))
    } finally {
      dispose()
    }
  })

  it('records lifecycle events in Postgres (PGlite)', async () => {
    const client = new PGlite()
    const db = drizzle({ client })
    await migratePg(db)
    const store = new PgSessionStore(db)
    const engine = createSessionEngine({
      store,
      secret,
      issuer: 'https://a.test',
      onEvent: pgAuditLog(db),
      reuseGrace: 0,
    })
    const a = await engine.signIn({ subject: 'u' })
    await engine.refresh({ refreshToken: a.refreshToken })
    await expect(engine.refresh({ refreshToken: a.refreshToken })).rejects.toMatchObject({
      code: 'ERR_REFRESH_TOKEN_REUSED',
    })
    await new Promise((r) => setTimeout(r, 50))
    const rows = await db.select().from(store.tables.auditEvents)
    expect(rows.map((r) => r.type)).toEqual(['signed_in', 'refreshed', 'refresh_token_reused'])
    await client.close()
  })
})
