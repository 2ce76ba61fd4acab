import type { SessionStore } from '@baton/core'
import { PGlite } from '@electric-sql/pglite'
import { drizzle } from 'drizzle-orm/pglite'
import { afterAll, beforeAll, describe, it } from 'vitest'
import { migrate as migratePg } from './pg/migrate.js'
import { DATABASE_URL, tempPgSchema } from './pg/pg-server.fixture.js'
import { PgSessionStore } from './pg/pg-store.js'
import { SqliteSessionStore } from './sqlite/sqlite-store.js'
import { tempSqlite } from './sqlite/temp-database.fixture.js'

/** A migrated database behind a real store, plus raw SQL access to its tables. */
export interface TestBackend {
  name: string
  dialect: 'sqlite' | 'pg'
  store: SessionStore
  /** Runs one or more statements, no parameters. */
  exec(sql: string): Promise<void>
  /** Runs one statement; `?` placeholders (rewritten to `$n` for Postgres). */
  rows<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>
  /** Runs one statement that returns nothing; `?` placeholders. */
  run(sql: string, params?: unknown[]): Promise<void>
  /** The SQLite file and its WAL, when there is one. */
  file?: string
  dispose(): Promise<void>
}

const numbered = (sql: string) => {
  let i = 0
  return sql.replace(/\?/g, () => `$${++i}`)
}

/** Database integers as numbers (node-postgres reads bigint as a string); anything else unchanged. */
export function num(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value)
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return Number(value)
  return value
}

export function sqliteBackend(): TestBackend {
  const temp = tempSqlite()
  const client = temp.db.$client
  return {
    name: 'SQLite file',
    dialect: 'sqlite',
    store: new SqliteSessionStore(temp.db),
    file: temp.file,
    exec: async (sql) => {
      client.exec(sql)
    },
    rows: async <T>(sql: string, params: unknown[] = []) => client.prepare(sql).all(...params) as T[],
    run: async (sql, params = []) => {
      client.prepare(sql).run(...params)
    },
    dispose: async () => temp.dispose(),
  }
}

export async function pgliteBackend(): Promise<TestBackend> {
  const client = new PGlite()
  const db = drizzle({ client })
  await migratePg(db)
  return {
    name: 'PGlite',
    dialect: 'pg',
    store: new PgSessionStore(db),
    exec: async (sql) => {
      await client.exec(sql)
    },
    rows: async <T>(sql: string, params: unknown[] = []) => (await client.query<T>(numbered(sql), params)).rows,
    run: async (sql, params = []) => {
      await client.query(numbered(sql), params)
    },
    dispose: () => client.close(),
  }
}

export async function pgServerBackend(url: string): Promise<TestBackend> {
  const temp = await tempPgSchema(url)
  return {
    name: 'Postgres server',
    dialect: 'pg',
    store: new PgSessionStore(temp.db),
    exec: async (sql) => {
      await temp.pool.query(sql)
    },
    rows: async <T>(sql: string, params: unknown[] = []) => (await temp.pool.query(numbered(sql), params)).rows as T[],
    run: async (sql, params = []) => {
      await temp.pool.query(numbered(sql), params)
    },
    dispose: () => temp.dispose(),
  }
}

/**
 * Registers `body` once per backend: a SQLite file and PGlite always, the
 * Postgres server when DATABASE_URL is set (a visible skip otherwise). One
 * database per backend and file; tests use fresh ids.
 */
export function describeBackends(
  title: string,
  body: (backend: () => TestBackend, name: 'SQLite file' | 'PGlite' | 'Postgres server') => void,
  options: { only?: readonly ('SQLite file' | 'PGlite' | 'Postgres server')[] } = {},
): void {
  type Name = 'SQLite file' | 'PGlite' | 'Postgres server'
  const makers: [Name, () => TestBackend | Promise<TestBackend>][] = [
    ['SQLite file', sqliteBackend],
    ['PGlite', pgliteBackend],
  ]
  if (DATABASE_URL) {
    const url = DATABASE_URL
    makers.push(['Postgres server', () => pgServerBackend(url)])
  } else if (!options.only || options.only.includes('Postgres server')) {
    console.warn(`[baton] ${title} on the Postgres server SKIPPED: DATABASE_URL is not set.`)
    describe(`${title}: Postgres server`, () => {
      it.skip('SKIPPED: DATABASE_URL is not set; SQLite and PGlite still run', () => {})
    })
  }
  for (const [name, make] of makers) {
    if (options.only && !options.only.includes(name)) continue
    describe(`${title}: ${name}`, () => {
      let backend: TestBackend | undefined
      beforeAll(async () => {
        backend = await make()
      })
      afterAll(async () => {
        await backend?.dispose()
      })
      body(() => {
        if (!backend) throw new Error('backend not ready')
        return backend
      }, name)
    })
  }
}
