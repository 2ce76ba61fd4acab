import { checkPrefix, DEFAULT_PREFIX } from './prefix.js'

/** One shipped migration: drizzle-kit's statements for the default prefix. */
export interface Migration {
  id: string
  statements: readonly string[]
}

/**
 * The statements of a migration for another table prefix. Generated SQL
 * quotes every identifier (`baton_x` or "baton_x"), so only quoted names
 * that start with the default prefix are rewritten, and the prefix itself is
 * restricted to [a-z0-9_].
 */
export function statementsFor(migration: Migration, prefix: string): string[] {
  checkPrefix(prefix)
  if (prefix === DEFAULT_PREFIX) return [...migration.statements]
  return migration.statements.map((s) => s.replace(/([`"])baton_/g, `$1${prefix}`))
}

/** Name of the table that records applied migrations (separate from drizzle's own). */
export function migrationsTable(prefix: string): string {
  checkPrefix(prefix)
  return `${prefix}migrations`
}
