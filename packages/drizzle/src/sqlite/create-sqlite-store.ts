import { LazySessionStore } from '../shared/lazy-store.js'
import { checkPrefix, DEFAULT_PREFIX } from '../shared/prefix.js'
import { migrate } from './migrate.js'
import { type OpenSqliteOptions, openSqliteDatabase } from './open-database.js'
import { type AnySqliteDatabase, SqliteSessionStore } from './sqlite-store.js'

/** Options of {@link createSqliteStore}. */
export interface CreateSqliteStoreOptions extends OpenSqliteOptions {
  /** The database file, e.g. `.data/baton.db`; its folder is created (mode 0700) when missing. */
  file: string
  /** Table-name prefix (default `baton_`). */
  prefix?: string
}

/**
 * Baton's session store on a SQLite file, opened on first use: constructing
 * it touches no file, so `lib/baton.ts` may create it at import time and
 * `next build` opens nothing. The first store call creates the file's
 * folder, opens the file like {@link openSqliteDatabase} (WAL, `busy_timeout`)
 * and applies the shipped migrations, once however many calls arrive
 * together; if that fails, the next call tries again. `database()` gives the
 * opened, migrated Drizzle database for the app's own tables.
 */
export function createSqliteStore(options: CreateSqliteStoreOptions): LazySessionStore<AnySqliteDatabase> {
  const { file, prefix = DEFAULT_PREFIX, ...open } = options
  checkPrefix(prefix) // an invalid prefix is a ConfigError now, not at the first request
  return new LazySessionStore(async () => {
    const db = openSqliteDatabase(file, open)
    try {
      migrate(db, { prefix })
      return { db, store: new SqliteSessionStore(db, { prefix }) }
    } catch (error) {
      db.$client.close()
      throw error
    }
  }, `SQLite database ${file}`)
}
