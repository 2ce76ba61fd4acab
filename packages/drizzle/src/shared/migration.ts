import { checkPrefix, DEFAULT_PREFIX } from './prefix.js'

/** One shipped migration: drizzle-kit's statements for the default prefix. */
export interface Migration {
  id: string
  statements: readonly string[]
}

/**
 * The statements of a migration for another table prefix. Generated SQL
 * quotes every identifier (`baton_x` or "baton_x"), so only quoted names
 * that start with the default prefix (and the referenced table inside a
 * foreign-key name) are rewritten; the prefix itself is restricted to [a-z0-9_].
 */
export function statementsFor(migration: Migration, prefix: string): string[] {
  checkPrefix(prefix)
  if (prefix === DEFAULT_PREFIX) return [...migration.statements]
  // Also inside generated constraint names ("acme_refresh_tokens_session_id_baton_sessions_id_fk").
  return migration.statements.map((s) => s.replace(/([`"]|_id_)baton_/g, `$1${prefix}`))
}

/** Name of the table that records applied migrations (separate from drizzle's own). */
export function migrationsTable(prefix: string): string {
  checkPrefix(prefix)
  return `${prefix}migrations`
}
