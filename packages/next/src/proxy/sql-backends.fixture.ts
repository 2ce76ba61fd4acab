import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { IssuedSession, SessionStore } from '@baton/core'
import { sha256 } from '@baton/core/internal'
import { migrate as migratePg, PgSessionStore } from '@baton/drizzle/pg'
import { migrate, openSqliteDatabase, SqliteSessionStore } from '@baton/drizzle/sqlite'
import { PGlite } from '@electric-sql/pglite'
import { drizzle } from 'drizzle-orm/pglite'
import type { Baton } from '../create-baton.js'

/** A real store plus raw SQL over its tables, to check what a test did to the rows. */
export interface SqlBackend {
  name: string
  store: SessionStore
  /** Refresh-token rows whose parent is the token with this hash. */
  children(parentHash: string): Promise<{ hash: string }[]>
  /** Every refresh-token row of a session. */
  tokens(sessionId: string): Promise<{ hash: string; parent_hash: string | null; used_at: unknown }[]>
  close(): Promise<void>
}

/** A migrated SQLite file in a temporary directory (WAL, as apps open it). */
export function openSqliteFile(): SqlBackend {
  const dir = mkdtempSync(join(tmpdir(), 'baton-next-sql-'))
  const db = openSqliteDatabase(join(dir, 'baton.db'))
  migrate(db)
  const client = db.$client
  return {
    name: 'SQLite file',
    store: new SqliteSessionStore(db),
    children: async (hash) =>
      client.prepare('select hash from baton_refresh_tokens where parent_hash = ?').all(hash) as { hash: string }[],
    tokens: async (id) =>
      client
        .prepare('select hash, parent_hash, used_at from baton_refresh_tokens where session_id = ?')
        .all(id) as Awaited<ReturnType<SqlBackend['tokens']>>,
    async close() {
      client.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** A migrated in-process Postgres (PGlite). Startup costs a few seconds: open once per file. */
export async function openPglite(): Promise<SqlBackend> {
  const client = new PGlite()
  await migratePg(drizzle({ client }))
  return {
    name: 'PGlite',
    store: new PgSessionStore(drizzle({ client })),
    children: async (hash) =>
      (await client.query<{ hash: string }>('select hash from baton_refresh_tokens where parent_hash = $1', [hash]))
        .rows,
    tokens: async (id) =>
      (
        await client.query<Awaited<ReturnType<SqlBackend['tokens']>>[number]>(
          'select hash, parent_hash, used_at from baton_refresh_tokens where session_id = $1',
          [id],
        )
      ).rows,
    close: () => client.close(),
  }
}

/** A signed-in session straight from the engine (no password hashing), with its tokens as cookies. */
export async function signedIn(baton: Baton, meta: { userAgent?: string } = {}) {
  const issued: IssuedSession = await baton.engine.signIn({
    subject: 'user-ada',
    user: { id: 'user-ada', email: 'ada@example.com', name: 'Ada' },
    meta,
  })
  const names = baton.cookieNames
  return {
    issued,
    access: issued.accessToken,
    refresh: issued.refreshToken,
    /** A `Cookie` header with both tokens and whatever else is passed. */
    cookie: (extra: Record<string, string> = {}, which: { access?: boolean; refresh?: boolean } = {}) =>
      Object.entries({
        ...(which.access === false ? {} : { [names.access]: issued.accessToken }),
        ...(which.refresh === false ? {} : { [names.refresh]: issued.refreshToken }),
        ...extra,
      })
        .map(([k, v]) => `${k}=${v}`)
        .join('; '),
  }
}

/** The stored form of a refresh token. */
export const tokenHash = (token: string) => sha256(token)
