import type Database from 'better-sqlite3'
import { migrationsTable, statementsFor } from '../shared/migration.js'
import { DEFAULT_PREFIX } from '../shared/prefix.js'
import { migrations } from './migrations.generated.js'
import type { AnySqliteDatabase } from './statements.js'

/** Options of {@link migrate}. */
export interface SqliteMigrateOptions {
  /** Table-name prefix (default `baton_`). */
  prefix?: string
}

/**
 * Applies Baton's shipped migrations that this database has not seen, in one
 * `BEGIN IMMEDIATE` transaction, recording them in `<prefix>migrations` (not
 * in drizzle's own journal, so your app's drizzle migrations are untouched).
 * Safe to run from several processes at once. Returns the ids applied.
 */
export function migrate(db: AnySqliteDatabase | Database.Database, options: SqliteMigrateOptions = {}): string[] {
  const client = ('$client' in db ? db.$client : db) as Database.Database
  const prefix = options.prefix ?? DEFAULT_PREFIX
  const table = migrationsTable(prefix)
  const run = client.transaction(() => {
    client.exec(`CREATE TABLE IF NOT EXISTS "${table}" ("id" text PRIMARY KEY NOT NULL, "applied_at" integer NOT NULL)`)
    const done = new Set((client.prepare(`SELECT "id" FROM "${table}"`).all() as { id: string }[]).map((r) => r.id))
    const applied: string[] = []
    for (const migration of migrations) {
      if (done.has(migration.id)) continue
      for (const statement of statementsFor(migration, prefix)) client.exec(statement)
      client.prepare(`INSERT INTO "${table}" ("id", "applied_at") VALUES (?, ?)`).run(migration.id, Date.now())
      applied.push(migration.id)
    }
    return applied
  })
  return run.immediate()
}
