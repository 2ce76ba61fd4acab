import { mkdirSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import Database from 'better-sqlite3'
import { drizzle } from 'drizzle-orm/better-sqlite3'
import type { AnySqliteDatabase } from './sqlite-store.js'

/** Pages written to the WAL before a commit checkpoints it (SQLite's default is 1,000). */
const WAL_AUTOCHECKPOINT_PAGES = 10_000

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
 * The WAL is checkpointed every 10,000 pages (~40 MB) instead of SQLite's
 * 1,000: every rotation writes a few pages, and a checkpoint — its page copies
 * and its fsync, on the event loop — came every ~200 rotations, ~15% of a
 * rotation's time amortised; ten times fewer checkpoints also copy the hot
 * pages (index roots, the session row) once instead of ten times. Set
 * `db.$client.pragma('wal_autocheckpoint = N')` afterwards for another trade-off.
 * The file's folder (`.data/` in `.data/baton.db`) is created when missing,
 * readable by this user only (0700): it holds every session's token hashes.
 */
export function openSqliteDatabase(filename: string, options: OpenSqliteOptions = {}): AnySqliteDatabase {
  const busyTimeout = Math.max(0, Math.floor(options.busyTimeout ?? 5000))
  // better-sqlite3 answers a missing folder with "the directory does not exist"; ':memory:' and '' are no files.
  if (filename !== ':memory:' && filename !== '')
    mkdirSync(dirname(resolve(filename)), { recursive: true, mode: 0o700 })
  const sqlite = new Database(filename, { timeout: busyTimeout })
  try {
    sqlite.pragma(`busy_timeout = ${busyTimeout}`)
    enableWal(sqlite, busyTimeout)
    sqlite.pragma('synchronous = NORMAL')
    sqlite.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`)
    sqlite.pragma('foreign_keys = ON')
  } catch (error) {
    sqlite.close()
    throw error
  }
  return drizzle({ client: sqlite })
}

/**
 * Switches a database to WAL. The switch needs an exclusive lock, and when
 * several connections attempt it together — several processes opening a new
 * file at once, like app instances starting side by side — SQLite can answer
 * SQLITE_BUSY without waiting out `busy_timeout` (it skips the busy handler
 * where waiting could deadlock). So it is retried here, within the same time
 * budget. Once a file is in WAL mode (which persists) the pragma is a no-op.
 */
function enableWal(sqlite: Database.Database, timeoutMs: number): void {
  const deadline = Date.now() + timeoutMs
  for (let attempt = 0; ; attempt++) {
    try {
      sqlite.pragma('journal_mode = WAL')
      return
    } catch (error) {
      const code = (error as { code?: unknown }).code
      if (typeof code !== 'string' || !code.startsWith('SQLITE_BUSY') || Date.now() >= deadline) throw error
      // openSqliteDatabase is synchronous (like better-sqlite3): wait without an event loop turn.
      const pause = Math.min(2 ** attempt, 50, Math.max(1, deadline - Date.now()))
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, pause)
    }
  }
}
