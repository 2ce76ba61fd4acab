import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openPgliteFromTemplate } from './pglite-template.js'

// The drivers are imported when a backend of their kind is opened, so that importing
// @baton/test-kit (plain node, Playwright) loads no database driver it does not use.

/** @type {typeof import('./index.js').postgresUrl} */
export function postgresUrl() {
  return process.env.DATABASE_URL?.trim() || undefined
}

/** @type {typeof import('./index.js').backendKinds} */
export function backendKinds(options) {
  const { suite, kinds } = options
  const databaseUrl = 'databaseUrl' in options ? options.databaseUrl : postgresUrl()
  /** @type {import('./index.js').BackendKind[]} */
  const run = []
  /** @type {{ kind: import('./index.js').BackendKind, reason: string }[]} */
  const skipped = []
  for (const kind of kinds) {
    if (kind === 'postgres' && !databaseUrl) {
      const reason = 'DATABASE_URL is not set'
      console.warn(`[${suite}] Postgres SKIPPED: ${reason}.`)
      skipped.push({ kind, reason })
    } else run.push(kind)
  }
  return { run, skipped }
}

/** `?` placeholders to Postgres's `$1`, `$2`, … */
const numbered = (/** @type {string} */ sql) => {
  let i = 0
  return sql.replace(/\?/g, () => `$${++i}`)
}

const notSql = () => Promise.reject(new Error('openBackend: the memory store has no SQL to query'))

/** @type {typeof import('./index.js').openBackend} */
export async function openBackend(options) {
  switch (options.kind) {
    case 'memory': {
      const { MemorySessionStore } = await import('@baton/core')
      return {
        kind: 'memory',
        name: 'memory',
        store: new MemorySessionStore(),
        url: null,
        query: notSql,
        snapshot: notSql,
        close: async () => {},
      }
    }
    case 'sqlite':
      return openSqlite()
    case 'pglite':
      return openPglite()
    case 'postgres':
      return openPostgres(options)
    default:
      throw new Error(`openBackend: unknown kind ${JSON.stringify(options.kind)}`)
  }
}

/** @returns {Promise<import('./index.js').Backend>} */
async function openSqlite() {
  const { migrate, openSqliteDatabase, SqliteSessionStore } = await import('@baton/drizzle/sqlite')
  const { default: Database } = await import('better-sqlite3')
  const dir = mkdtempSync(join(tmpdir(), 'baton-test-'))
  const file = join(dir, 'baton.db')
  try {
    const db = openSqliteDatabase(file)
    migrate(db)
    /** @type {import('better-sqlite3').Database} */
    const client = /** @type {any} */ (db).$client
    /** @type {import('better-sqlite3').Database | undefined} */
    let reader
    /** @type {(db: import('better-sqlite3').Database) => import('./index.js').Query} */
    const on =
      (connection) =>
      async (sql, params = []) => {
        const statement = connection.prepare(sql)
        if (statement.reader) return /** @type {any[]} */ (statement.all(...params))
        statement.run(...params)
        return []
      }
    return {
      kind: 'sqlite',
      name: 'SQLite file',
      store: new SqliteSessionStore(db),
      url: file,
      query: on(client),
      async snapshot(read) {
        // A connection of its own: the store's may be inside another caller's transaction.
        reader ??= new Database(file, { readonly: true, timeout: 5000 })
        reader.exec('BEGIN')
        try {
          return await read(on(reader))
        } finally {
          reader.exec('COMMIT')
        }
      },
      async close() {
        reader?.close()
        client.close()
        rmSync(dir, { recursive: true, force: true })
      },
    }
  } catch (error) {
    rmSync(dir, { recursive: true, force: true })
    throw error
  }
}

/** @returns {Promise<import('./index.js').Backend>} */
async function openPglite() {
  const { migrate, PgSessionStore } = await import('@baton/drizzle/pg')
  const { drizzle } = await import('drizzle-orm/pglite')
  const client = await openPgliteFromTemplate()
  const db = drizzle({ client })
  await migrate(db)
  return {
    kind: 'pglite',
    name: 'PGlite',
    store: new PgSessionStore(db),
    url: null,
    query: async (sql, params = []) => (await client.query(numbered(sql), [...params])).rows,
    snapshot: (read) =>
      client.transaction(async (tx) =>
        read(async (sql, params = []) => (await tx.query(numbered(sql), [...params])).rows),
      ),
    close: () => client.close(),
  }
}

/**
 * @param {import('./index.js').OpenBackendOptions} options
 * @returns {Promise<import('./index.js').Backend>}
 */
async function openPostgres({ databaseUrl = postgresUrl(), schemaPrefix = 'baton_test', poolMax = 4 }) {
  if (!databaseUrl) {
    throw new Error(
      "openBackend: kind 'postgres' needs DATABASE_URL (or databaseUrl); skip it visibly with backendKinds()",
    )
  }
  if (!/^[a-z_][a-z0-9_]*$/.test(schemaPrefix)) throw new Error(`openBackend: invalid schemaPrefix ${schemaPrefix}`)
  const { migrate, PgSessionStore } = await import('@baton/drizzle/pg')
  const { default: pg } = await import('pg')
  const { drizzle } = await import('drizzle-orm/node-postgres')
  const schema = `${schemaPrefix}_${process.pid}_${randomBytes(4).toString('hex')}`
  /** @param {string} sql */
  const admin = async (sql) => {
    const client = new pg.Client({ connectionString: databaseUrl })
    await client.connect()
    try {
      await client.query(sql)
    } finally {
      await client.end()
    }
  }
  await admin(`CREATE SCHEMA "${schema}"`)
  const url = new URL(databaseUrl)
  url.searchParams.set('options', `-c search_path=${schema}`)
  const pool = new pg.Pool({ connectionString: url.href, max: poolMax })
  const drop = async () => {
    await pool.end()
    await admin(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
  }
  try {
    const db = drizzle({ client: pool })
    await migrate(db)
    return {
      kind: 'postgres',
      name: 'Postgres server',
      store: new PgSessionStore(db),
      url: url.href,
      schema,
      query: async (sql, params = []) => (await pool.query(numbered(sql), [...params])).rows,
      async snapshot(read) {
        const client = await pool.connect()
        try {
          await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY')
          try {
            return await read(async (sql, params = []) => (await client.query(numbered(sql), [...params])).rows)
          } finally {
            await client.query('COMMIT')
          }
        } finally {
          client.release()
        }
      },
      close: drop,
    }
  } catch (error) {
    await drop().catch(() => undefined)
    throw error
  }
}
