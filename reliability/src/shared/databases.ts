import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { SessionStore } from '@baton/core'
import { migrate as migratePg, PgSessionStore } from '@baton/drizzle/pg'
import { migrate as migrateSqlite, openSqliteDatabase, SqliteSessionStore } from '@baton/drizzle/sqlite'
import Database from 'better-sqlite3'
import { drizzle } from 'drizzle-orm/node-postgres'
import pg from 'pg'

/** The Postgres server of this run, if any (scripts/test-all.sh exports it when one is reachable). */
export const DATABASE_URL = process.env.DATABASE_URL

/** Runs one read-only statement and returns its rows (`$1`-style parameters on both dialects). */
export type Query = <T = Record<string, unknown>>(sql: string) => Promise<T[]>

/** A migrated database of its own for one suite: a SQLite file, or a Postgres database created and dropped here. */
export interface TempDatabase {
  kind: 'sqlite' | 'pg'
  /** What a child process or `BATON_DATABASE_URL` needs: the file path or the postgres:// URL. */
  url: string
  store: SessionStore
  /** Runs `read` in one snapshot (a read transaction), so concurrent writers never show half a commit. */
  snapshot<T>(read: (query: Query) => Promise<T>): Promise<T>
  dispose(): Promise<void>
}

export async function tempSqlite(): Promise<TempDatabase> {
  const dir = mkdtempSync(join(tmpdir(), 'baton-reliability-'))
  const file = join(dir, 'baton.db')
  const db = openSqliteDatabase(file)
  migrateSqlite(db)
  // Snapshots read on a connection of their own: the store's may be mid-transaction for another caller.
  const reader = new Database(file, { readonly: true, timeout: 5000 })
  return {
    kind: 'sqlite',
    url: file,
    store: new SqliteSessionStore(db),
    async snapshot(read) {
      reader.exec('BEGIN')
      try {
        return await read(async (sql) => reader.prepare(sql).all() as never)
      } finally {
        reader.exec('COMMIT')
      }
    },
    async dispose() {
      reader.close()
      db.$client.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** A fresh database `baton_rel_<random>` on the server at `url`, dropped (with its connections) by `dispose()`. */
export async function tempPostgres(url: string): Promise<TempDatabase> {
  const name = `baton_rel_${randomBytes(6).toString('hex')}`
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: url })
    await client.connect()
    try {
      await client.query(sql)
    } finally {
      await client.end()
    }
  }
  await admin(`CREATE DATABASE "${name}"`)
  const own = new URL(url)
  own.pathname = `/${name}`
  const pool = new pg.Pool({ connectionString: own.href, max: 4 })
  const db = drizzle({ client: pool })
  await migratePg(db)
  return {
    kind: 'pg',
    url: own.href,
    store: new PgSessionStore(db),
    async snapshot(read) {
      const client = await pool.connect()
      try {
        await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY')
        try {
          return await read(async (sql) => (await client.query(sql)).rows)
        } finally {
          await client.query('COMMIT')
        }
      } finally {
        client.release()
      }
    },
    async dispose() {
      await pool.end()
      await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
    },
  }
}
