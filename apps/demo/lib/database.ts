import type { RevocationFeed, SessionStore } from '@baton/core'
import { createPgRevocationFeed, createPgStore } from '@baton/drizzle/pg'
import { createSqliteRevocationFeed, createSqliteStore } from '@baton/drizzle/sqlite'
import { drizzle } from 'drizzle-orm/node-postgres'
import pg from 'pg'
import type { DemoEnv } from './env'
import { pgUsers, sqliteUsers, type UserDirectory } from './users'

/** The demo's storage: Baton's session store and the app's own users. */
export interface DemoDatabase {
  store: SessionStore
  users: UserDirectory
  /**
   * Opens and migrates the database and seeds the demo account, on first
   * access (`instrumentation.ts` at start, or the first sign-in); a failure is
   * logged and tried again at the next access.
   */
  readonly ready: Promise<void>
  /** For the start-up log, without credentials. */
  label: string
  /**
   * Revocations pushed to every instance (Postgres LISTEN/NOTIFY, or a change check on the SQLite
   * file), so `/api/whoami`'s stateless check refuses a revoked session at once.
   */
  revocations: RevocationFeed
}

/**
 * SQLite or Postgres, opened and migrated on first use, never here: `next
 * build` imports `lib/baton.ts`, and must not create or migrate a database.
 * Safe to run in several processes at once.
 */
export function openDemoDatabase(config: DemoEnv['database']): DemoDatabase {
  if (config.kind === 'sqlite') {
    const store = createSqliteStore({ file: config.file })
    const users = seededOnce(async () => sqliteUsers(await store.database()))
    return {
      store,
      revocations: createSqliteRevocationFeed({ database: async () => (await store.database()).$client }),
      users: users.directory,
      get ready() {
        return users.ready()
      },
      label: `SQLite ${config.file}`,
    }
  }
  const pool = new pg.Pool({ connectionString: config.url, max: 10 })
  // An idle client losing its connection must not crash the server; the next query reconnects.
  pool.on('error', (error) => console.error('[demo] Postgres pool error:', error.message))
  const store = createPgStore({ db: drizzle({ client: pool }) })
  const users = seededOnce(async () => {
    await store.database() // Baton's migrations first
    return pgUsers(pool)
  })
  const url = new URL(config.url)
  const revocations = createPgRevocationFeed({
    pool,
    // One dedicated connection per process for LISTEN, opened on first use (never by `next build`).
    listen: async () => {
      const client = new pg.Client({ connectionString: config.url })
      client.on('error', () => undefined) // the feed notices the loss through 'end' and reconnects
      await client.connect()
      return client
    },
  })
  return {
    store,
    revocations,
    users: users.directory,
    get ready() {
      return users.ready()
    },
    label: `Postgres ${url.host}${url.pathname}`,
  }
}

/**
 * The users table behind `open`, opened and seeded by the first call, once
 * for calls that arrive together; a failure is logged and not kept.
 */
function seededOnce(open: () => Promise<UserDirectory>): { directory: UserDirectory; ready(): Promise<void> } {
  let seeded: Promise<UserDirectory> | undefined
  const load = (): Promise<UserDirectory> => {
    seeded ??= open()
      .then(async (users) => {
        await users.seed()
        return users
      })
      .catch((error: unknown) => {
        seeded = undefined
        console.error('[demo] database set-up failed:', error)
        throw error
      })
    return seeded
  }
  return {
    directory: {
      findByEmail: async (email) => (await load()).findByEmail(email),
      seed: async () => void (await load()),
      roleOf: async (id) => (await load()).roleOf(id),
      setRole: async (id, role) => (await load()).setRole(id, role),
    },
    ready: async () => void (await load()),
  }
}
