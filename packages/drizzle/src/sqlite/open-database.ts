import Database from 'better-sqlite3'
import { drizzle } from 'drizzle-orm/better-sqlite3'
import type { AnySqliteDatabase } from './sqlite-store.js'

/** Options of {@link openSqliteDatabase}. */
export interface OpenSqliteOptions {
  /** ms a writer waits for another process's lock before failing with SQLITE_BUSY. Default 5000. */
  busyTimeout?: number
}

/**
 * Opens a SQLite file the way Baton needs it for several processes: WAL
 * journal (readers never block the writer), `busy_timeout` (writers queue
 * instead of failing), `synchronous = NORMAL` (durable across process
 * crashes in WAL mode) and foreign keys on (token rows follow their session).
 */
export function openSqliteDatabase(filename: string, options: OpenSqliteOptions = {}): AnySqliteDatabase {
  const sqlite = new Database(filename)
  sqlite.pragma('journal_mode = WAL')
  sqlite.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeout ?? 5000))}`)
  sqlite.pragma('synchronous = NORMAL')
  sqlite.pragma('foreign_keys = ON')
  return drizzle({ client: sqlite })
}
