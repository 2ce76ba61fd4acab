import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import type { SessionStore } from '@baton/core'
import { migrate as migratePg, PgSessionStore } from '@baton/drizzle/pg'
import { migrate as migrateSqlite, openSqliteDatabase, SqliteSessionStore } from '@baton/drizzle/sqlite'
import { drizzle } from 'drizzle-orm/node-postgres'
import pg from 'pg'
import type { DemoEnv } from './env'
import { pgUsers, sqliteUsers, type UserDirectory } from './users'

/** The demo's storage: Baton's session store and the app's own users. */
export interface DemoDatabase {
  store: SessionStore
  users: UserDirectory
  /** Resolves once migrations ran and the demo account exists. */
  ready: Promise<void>
  /** For the start-up log, without credentials. */
  label: string
}

/**
 * Opens SQLite (migrated synchronously, right here) or Postgres (migrated
 * under an advisory lock in `ready`, which `instrumentation.ts` awaits before
 * the server takes requests). Safe to run in several processes at once.
 */
export function openDemoDatabase(config: DemoEnv['database']): DemoDatabase {
  if (config.kind === 'sqlite') {
    mkdirSync(dirname(config.file), { recursive: true })
    const db = openSqliteDatabase(config.file)
    migrateSqlite(db)
    const users = sqliteUsers(db)
    return { store: new SqliteSessionStore(db), users, ready: settle(users.seed()), label: `SQLite ${config.file}` }
  }
  const pool = new pg.Pool({ connectionString: config.url, max: 10 })
  // An idle client losing its connection must not crash the server; the next query reconnects.
  pool.on('error', (error) => console.error('[demo] Postgres pool error:', error.message))
  const db = drizzle({ client: pool })
  const users = pgUsers(pool)
  const url = new URL(config.url)
  return {
    store: new PgSessionStore(db),
    users,
    ready: settle(migratePg(db).then(() => users.seed())),
    label: `Postgres ${url.host}${url.pathname}`,
  }
}

/** Logs a failed start-up step once; callers awaiting `ready` still see the error. */
function settle(step: Promise<unknown>): Promise<void> {
  const ready = step.then(() => undefined)
  ready.catch((error: unknown) => console.error('[demo] database set-up failed:', error))
  return ready
}
