import { sql } from 'drizzle-orm'
import { migrationsTable, statementsFor } from '../shared/migration.js'
import { DEFAULT_PREFIX } from '../shared/prefix.js'
import { migrations } from './migrations.generated.js'
import type { AnyPgDatabase } from './statements.js'

/** Options of {@link migrate}. */
export interface PgMigrateOptions {
  /** Table-name prefix (default `baton_`). */
  prefix?: string
}

/**
 * Applies Baton's shipped migrations that this database has not seen, in one
 * transaction under a transaction-scoped advisory lock (so several instances
 * starting together apply each migration once), recording them in
 * `<prefix>migrations`, apart from drizzle's own journal. Tables are created
 * unqualified, in the connection's `search_path`. Returns the ids applied.
 */
export async function migrate(db: AnyPgDatabase, options: PgMigrateOptions = {}): Promise<string[]> {
  const prefix = options.prefix ?? DEFAULT_PREFIX
  const table = sql.identifier(migrationsTable(prefix))
  return db.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${`baton:migrate:${prefix}`}))`)
    await tx.execute(
      sql`CREATE TABLE IF NOT EXISTS ${table} ("id" text PRIMARY KEY NOT NULL, "applied_at" bigint NOT NULL)`,
    )
    const result = await tx.execute(sql`SELECT "id" FROM ${table}`)
    const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as { id: string }[]
    const done = new Set(rows.map((r) => r.id))
    const applied: string[] = []
    for (const migration of migrations) {
      if (done.has(migration.id)) continue
      for (const statement of statementsFor(migration, prefix)) await tx.execute(sql.raw(statement))
      await tx.execute(sql`INSERT INTO ${table} ("id", "applied_at") VALUES (${migration.id}, ${Date.now()})`)
      applied.push(migration.id)
    }
    return applied
  })
}
