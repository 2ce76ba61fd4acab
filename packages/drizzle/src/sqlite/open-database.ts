import { mkdirSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import Database from 'better-sqlite3'
import { drizzle } from 'drizzle-orm/better-sqlite3'
import { startBackgroundCheckpoint } from './background-checkpoint.js'
import type { AnySqliteDatabase } from './statements.js'

/**
 * Pages written to the WAL before a commit checkpoints it (SQLite's default
 * is 1,000): with background checkpoints, the WAL's bound under a sustained
 * write load (~160 MB); inline, where each such checkpoint copies all of it
 * on the event loop, a quarter of that.
 */
const WAL_AUTOCHECKPOINT_PAGES = { background: 40_000, inline: 10_000 } as const

/** Options of {@link openSqliteDatabase}. */
export interface OpenSqliteOptions {
  /** ms a writer waits for another process's lock before failing with SQLITE_BUSY. Default 5000. */
  busyTimeout?: number
  /**
   * Where the WAL is copied into the database file. `'background'` (the
   * default): a worker thread with its own connection does it every 200 ms,
   * so a commit on the event loop rarely has to (see below). `'inline'`:
   * only SQLite's automatic checkpoint, on the connection that commits.
   * In-memory databases have no WAL and ignore it.
   */
  checkpoint?: 'background' | 'inline'
}

/**
 * Opens a SQLite file the way Baton needs it for several processes: WAL
 * journal (readers never block the writer), `busy_timeout` (writers queue
 * instead of failing), `synchronous = NORMAL` (durable across process
 * crashes in WAL mode) and foreign keys on (token rows follow their session).
 * Checkpoints (copying the WAL into the database file, with an `fsync` before
 * and after) run in a worker thread by default, off the event loop: SQLite's
 * own automatic checkpoint runs synchronously on the connection that commits,
 * and on a busy server it stalled every request for 20–70 ms every ~1,400
 * rotations. The connection still checkpoints by itself once the WAL reaches
 * 40,000 pages (~160 MB; SQLite's default is 1,000) — only a checkpoint between
 * two of its own commits lets the WAL start over — and by then the worker has
 * copied nearly everything, but its two `fsync`s still stall the event loop for
 * 20–50 ms, so it should be rare. Only a sustained write load fills the WAL
 * that far: between bursts the worker catches up and the WAL starts over at
 * the next commit. Closing the connection stops the worker; it never
 * keeps the process alive. With `checkpoint: 'inline'` the bound is 10,000
 * pages. Set `db.$client.pragma('wal_autocheckpoint = N')` afterwards for
 * another bound on the WAL.
 * The file's folder (`.data/` in `.data/baton.db`) is created when missing,
 * readable by this user only (0700): it holds every session's token hashes.
 */
export function openSqliteDatabase(filename: string, options: OpenSqliteOptions = {}): AnySqliteDatabase {
  const busyTimeout = Math.max(0, Math.floor(options.busyTimeout ?? 5000))
  // better-sqlite3 answers a missing folder with "the directory does not exist"; ':memory:' and '' are no files.
  if (filename !== ':memory:' && filename !== '')
    mkdirSync(dirname(resolve(filename)), { recursive: true, mode: 0o700 })
  const checkpoint = options.checkpoint ?? 'background'
  const sqlite = new Database(filename, { timeout: busyTimeout })
  try {
    sqlite.pragma(`busy_timeout = ${busyTimeout}`)
    enableWal(sqlite, busyTimeout)
    sqlite.pragma('synchronous = NORMAL')
    sqlite.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES[checkpoint]}`)
    sqlite.pragma('foreign_keys = ON')
  } catch (error) {
    sqlite.close()
    throw error
  }
  if (checkpoint === 'background') startBackgroundCheckpoint(sqlite, { busyTimeout })
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
