import { LazySessionStore } from '../shared/lazy-store.js'
import { checkPrefix, DEFAULT_PREFIX } from '../shared/prefix.js'
import { migrate } from './migrate.js'
import { type AnyPgDatabase, PgSessionStore } from './pg-store.js'

/** Options of {@link createPgStore}. */
export interface CreatePgStoreOptions<Db extends AnyPgDatabase> {
  /** The app's Drizzle database (node-postgres or PGlite); its pool connects when first used. */
  db: Db
  /** Table-name prefix (default `baton_`). */
  prefix?: string
}

/**
 * Baton's session store on Postgres, migrated on first use: constructing it
 * runs no query, so `lib/baton.ts` may create it at import time and
 * `next build` never connects. The first store call applies the shipped
 * migrations (in a transaction, under an advisory lock, see {@link migrate}),
 * once however many calls arrive together; if that fails, the next call
 * tries again. `database()` resolves with `db` once it is migrated.
 */
export function createPgStore<Db extends AnyPgDatabase>(options: CreatePgStoreOptions<Db>): LazySessionStore<Db> {
  const { db, prefix = DEFAULT_PREFIX } = options
  checkPrefix(prefix) // an invalid prefix is a ConfigError now, not at the first request
  return new LazySessionStore(async () => {
    await migrate(db, { prefix })
    return { db, store: new PgSessionStore(db, { prefix }) }
  }, 'Postgres database')
}
