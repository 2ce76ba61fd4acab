import type { RevocationFeed, RevocationListener } from '@baton/core'
import type Database from 'better-sqlite3'

/** Options of {@link createSqliteRevocationFeed}. */
export interface SqliteRevocationFeedOptions {
  /**
   * A better-sqlite3 connection to the app's database file (its own, or the store's: `db.$client`),
   * or a function giving it on first use (`async () => (await store.database()).$client` for
   * `createSqliteStore`, which opens the file lazily).
   */
  database: Database.Database | (() => Promise<Database.Database>)
  /** The sessions table, as the store names it. Default `baton_sessions`. */
  sessionsTable?: string
  /** Milliseconds between change checks. Default 50. */
  interval?: number
  /** Seconds an access token may outlive its session's revocation: the app's `accessTokenTtl` (+ clock tolerance). Default 905. */
  lookback?: number
}

/** How far back each look reaches before the newest revocation seen (a revocation written slowly). */
const MARGIN_MS = 10_000

/**
 * Revocations between the processes of one host sharing a SQLite file. There
 * is no push in SQLite, so each process checks for a change every `interval`
 * ms with `PRAGMA data_version` (which moves when another connection commits:
 * no table read) and only then reads the sessions revoked since the newest it
 * knows, through the partial `revoked_at` index (a revocation is the only
 * write to it). A revocation in this process reaches its own set at once; the
 * others see it within about `interval`. A failed check makes the feed
 * unhealthy (checks read the store) until one succeeds.
 */
export function createSqliteRevocationFeed(options: SqliteRevocationFeedOptions): RevocationFeed {
  const table = options.sessionsTable ?? 'baton_sessions'
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,126}$/.test(table)) throw new TypeError('`sessionsTable` is not a table name.')
  const interval = options.interval ?? 50
  const lookbackMs = (options.lookback ?? 905) * 1000
  return {
    async publish() {
      // The store holds the revocation; the other processes find it at their next check.
    },
    start(listener: RevocationListener) {
      let stopped = false
      let stop = () => {
        stopped = true
      }
      const begin = (db: Database.Database) => {
        if (stopped) return
        stop = watch(db, listener)
      }
      if (typeof options.database === 'function') {
        options.database().then(begin, (error) => {
          console.warn('[baton] the revocation feed could not open the database; checks read the store', error)
        })
      } else begin(options.database)
      return () => stop()
    },
  }

  function watch(db: Database.Database, listener: RevocationListener): () => void {
    const select = db.prepare(`SELECT id, revoked_at FROM ${table} WHERE revoked_at IS NOT NULL AND revoked_at >= ?`)
    let newest = Date.now() - lookbackMs
    let version: unknown
    let healthy = false
    let timer: ReturnType<typeof setInterval> | undefined
    const look = () => {
      if (!db.open) {
        // The app closed its database: nothing left to watch (checks read the store, which fails loudly).
        clearInterval(timer)
        listener.health(false)
        return
      }
      try {
        const current = db.pragma('data_version', { simple: true })
        if (current !== version) {
          version = current
          const rows = select.all(newest - MARGIN_MS) as { id: string; revoked_at: number }[]
          for (const row of rows) newest = Math.max(newest, row.revoked_at)
          listener.revoked(rows.map((row) => ({ sessionId: row.id, until: row.revoked_at + lookbackMs })))
        }
        if (!healthy) {
          healthy = true
          listener.health(true)
        }
      } catch (error) {
        if (healthy) {
          console.warn('[baton] revocation check failed; checks read the store until it works', error)
          healthy = false
          listener.health(false)
        }
      }
    }
    look()
    timer = setInterval(look, interval)
    timer.unref?.()
    return () => clearInterval(timer)
  }
}
