/**
 * Migration 0001 (issue 15): a database created by an earlier version — only
 * 0000_init applied, with the sessions' expires_at index and live sessions —
 * is upgraded by migrate(): the index is dropped, nothing else changes, the
 * sessions signed in before keep refreshing, and prune still finds ended ones.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createSessionEngine } from '@baton/core'
import { afterAll, describe, expect, it } from 'vitest'
import { migrationsTable, statementsFor } from '../shared/migration.js'
import { migrate } from './migrate.js'
import { migrations } from './migrations.generated.js'
import { openSqliteDatabase } from './open-database.js'
import { type AnySqliteDatabase, SqliteSessionStore } from './sqlite-store.js'

const dirs: string[] = []
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})

/** What migrate() of the version that shipped only 0000_init left behind. */
function createAtVersion0000(prefix: string): AnySqliteDatabase {
  const dir = mkdtempSync(join(tmpdir(), 'baton-upgrade-'))
  dirs.push(dir)
  const db = openSqliteDatabase(join(dir, 'baton.db'))
  const init = migrations.find((m) => m.id === '0000_init')
  if (!init) throw new Error('0000_init is not embedded')
  const client = db.$client
  client.exec(
    `CREATE TABLE "${migrationsTable(prefix)}" ("id" text PRIMARY KEY NOT NULL, "applied_at" integer NOT NULL)`,
  )
  for (const statement of statementsFor(init, prefix)) client.exec(statement)
  client.prepare(`INSERT INTO "${migrationsTable(prefix)}" ("id", "applied_at") VALUES (?, ?)`).run(init.id, 1)
  return db
}

function indexes(db: AnySqliteDatabase, table: string): string[] {
  const rows = db.$client.prepare(`SELECT name FROM pragma_index_list(?) ORDER BY name`).all(table) as {
    name: string
  }[]
  return rows.map((r) => r.name)
}

describe.each(['baton_', 'acme_'])('an old-schema SQLite database (prefix %s)', (prefix) => {
  it('is migrated by 0001 and keeps working: old sessions refresh, the index is gone, prune works', async () => {
    const db = createAtVersion0000(prefix)
    let now = 1_800_000_000_000
    const options = { secret: 'upgrade-test-secret-0123456789abcdef', issuer: 'https://upgrade.test' }
    try {
      const before = createSessionEngine({
        ...options,
        store: new SqliteSessionStore(db, { prefix }),
        clock: { now: () => now },
      })
      const live = await before.signIn({ subject: 'alice' })
      const ended = await before.signIn({ subject: 'bob' })
      await before.signOut({ refreshToken: ended.refreshToken })
      expect(indexes(db, `${prefix}sessions`)).toContain(`${prefix}sessions_expires_idx`)
      const tokensBefore = indexes(db, `${prefix}refresh_tokens`)

      expect(migrate(db, { prefix })).toEqual(['0001_drop_sessions_expires_idx', '0002_sessions_revoked_idx'])
      expect(migrate(db, { prefix })).toEqual([])
      expect(indexes(db, `${prefix}sessions`)).not.toContain(`${prefix}sessions_expires_idx`)
      expect(indexes(db, `${prefix}sessions`)).toContain(`${prefix}sessions_subject_idx`)
      expect(indexes(db, `${prefix}refresh_tokens`)).toEqual(tokensBefore)
      expect(db.$client.pragma('integrity_check', { simple: true })).toBe('ok')

      const store = new SqliteSessionStore(db, { prefix })
      const after = createSessionEngine({ ...options, store, clock: { now: () => now } })
      now += 1000
      const refreshed = await after.refresh({ refreshToken: live.refreshToken })
      expect(refreshed.session.id).toBe(live.session.id)
      expect((await store.getSession(live.session.id))?.lastUsedAt).toBe(now)
      await expect(after.refresh({ refreshToken: ended.refreshToken })).rejects.toThrow()

      const pruned = await store.prune({ now: now + 10_000, batchSize: 100, revokedRetentionMs: 1000 })
      expect(pruned.sessions).toBe(1)
      expect(await store.getSession(ended.session.id)).toBeNull()
      expect(await store.getSession(live.session.id)).not.toBeNull()
    } finally {
      db.$client.close()
    }
  })
})
