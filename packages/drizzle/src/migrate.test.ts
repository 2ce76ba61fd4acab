/**
 * migrate(): idempotent, prefix-aware, refuses prefixes that could carry SQL,
 * safe when several processes or pools run it at once; and the migrations
 * embedded in src/<dialect>/migrations.generated.ts are exactly the SQL files
 * drizzle-kit wrote under migrations/<dialect>/.
 */
import { randomBytes } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ConfigError, createSessionEngine } from '@baton/core'
import { PGlite } from '@electric-sql/pglite'
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres'
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite'
import pg from 'pg'
import { afterAll, describe, expect, it } from 'vitest'
import { migrate as migratePg } from './pg/migrate.js'
import { migrations as pgMigrations } from './pg/migrations.generated.js'
import { DATABASE_URL } from './pg/pg-server.fixture.js'
import { PgSessionStore } from './pg/pg-store.js'
import { pgTables } from './pg/schema.js'
import type { Migration } from './shared/migration.js'
import { migrate as migrateSqlite } from './sqlite/migrate.js'
import { migrations as sqliteMigrations } from './sqlite/migrations.generated.js'
import { openSqliteDatabase } from './sqlite/open-database.js'
import { sqliteTables } from './sqlite/schema.js'
import { SqliteSessionStore } from './sqlite/sqlite-store.js'
import { startWorkers } from './worker-process.fixture.js'

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..')
/** 0001 (Postgres) / 0002 (SQLite): a partial index on sessions.revoked_at, for the revocation feed. */
const ALL = ['0000_init', '0001_sessions_revoked_idx']
/** SQLite has one more: 0001 drops the sessions' expires_at index, which every rotation rewrote. */
const SQLITE_ALL = ['0000_init', '0001_drop_sessions_expires_idx', '0002_sessions_revoked_idx']
const sqliteIds = SQLITE_ALL.map((id) => ({ id }))
const HOSTILE_PREFIXES = [
  'x"; DROP TABLE y; --',
  'x`; DROP TABLE y; --',
  'Baton_',
  '',
  'a b_',
  'é_',
  'a'.repeat(40),
  '1x_',
]
const SECRET = 'migrate-test-secret-0123456789abcdef'

const tempDirs: string[] = []
function freshSqliteFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'baton-migrate-'))
  tempDirs.push(dir)
  return join(dir, 'baton.db')
}
afterAll(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true })
})

/** Signs in and refreshes once: the tables are usable, not just present. */
async function smoke(store: SqliteSessionStore | PgSessionStore) {
  const engine = createSessionEngine({ store, secret: SECRET, issuer: 'https://migrate.test' })
  const first = await engine.signIn({ subject: 'migrated' })
  const second = await engine.refresh({ refreshToken: first.refreshToken })
  expect(second.session.id).toBe(first.session.id)
}

describe('migrate() on SQLite', () => {
  it('is idempotent: the second run, and a run from another connection, apply nothing', () => {
    const file = freshSqliteFile()
    const db = openSqliteDatabase(file)
    try {
      expect(migrateSqlite(db)).toEqual(SQLITE_ALL)
      expect(migrateSqlite(db)).toEqual([])
      const other = openSqliteDatabase(file)
      expect(migrateSqlite(other)).toEqual([])
      other.$client.close()
      expect(db.$client.prepare('SELECT id FROM baton_migrations').all()).toEqual(sqliteIds)
    } finally {
      db.$client.close()
    }
  })

  it('creates only acme_* tables and indexes under the prefix "acme_", and they work', async () => {
    const file = freshSqliteFile()
    const db = openSqliteDatabase(file)
    try {
      expect(migrateSqlite(db, { prefix: 'acme_' })).toEqual(SQLITE_ALL)
      expect(migrateSqlite(db, { prefix: 'acme_' })).toEqual([])
      const objects = db.$client
        .prepare(`SELECT type, name, coalesce(sql, '') AS sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'`)
        .all() as { type: string; name: string; sql: string }[]
      expect(
        objects
          .filter((o) => o.type === 'table')
          .map((o) => o.name)
          .sort(),
      ).toEqual(['acme_audit_events', 'acme_migrations', 'acme_rate_limits', 'acme_refresh_tokens', 'acme_sessions'])
      expect(
        objects
          .filter((o) => o.type === 'index')
          .map((o) => o.name)
          .sort(),
      ).toEqual([
        'acme_audit_events_subject_idx',
        'acme_refresh_tokens_expires_idx',
        'acme_refresh_tokens_session_idx',
        'acme_sessions_revoked_idx',
        'acme_sessions_subject_idx',
      ])
      for (const o of objects) {
        expect(o.name).toMatch(/^acme_/)
        expect(o.sql, o.name).not.toContain('baton')
      }
      expect(objects.find((o) => o.name === 'acme_refresh_tokens')?.sql).toContain('REFERENCES `acme_sessions`')
      await smoke(new SqliteSessionStore(db, { prefix: 'acme_' }))
    } finally {
      db.$client.close()
    }
  })

  it('refuses a prefix that could carry SQL with a ConfigError, and touches nothing', () => {
    const file = freshSqliteFile()
    const db = openSqliteDatabase(file)
    try {
      db.$client.exec('CREATE TABLE y (v text)')
      for (const prefix of HOSTILE_PREFIXES) {
        expect(() => migrateSqlite(db, { prefix }), JSON.stringify(prefix)).toThrow(ConfigError)
        expect(() => new SqliteSessionStore(db, { prefix }), JSON.stringify(prefix)).toThrow(ConfigError)
        expect(() => sqliteTables(prefix)).toThrow(ConfigError)
      }
      expect(db.$client.prepare(`SELECT name FROM sqlite_master`).all()).toEqual([{ name: 'y' }])
    } finally {
      db.$client.close()
    }
  })

  it('three processes opening one new file at once all get it, in WAL mode (no SQLITE_BUSY from the WAL switch)', async () => {
    const workers = await startWorkers(3)
    try {
      for (let round = 0; round < 60; round++) {
        const file = freshSqliteFile()
        const startAt = Date.now() + 30
        for (const w of workers) w.send({ type: 'open', round, file, startAt })
        const reports = await Promise.all(workers.map((w) => w.next('opened')))
        expect(
          reports.map((r) => r.error ?? r.journalMode),
          `round ${round}`,
        ).toEqual(['wal', 'wal', 'wal'])
      }
    } finally {
      const codes = await Promise.all(workers.map((w) => w.close()))
      expect(codes).toEqual([0, 0, 0])
    }
  })

  it('three processes opening and migrating one new file at once all succeed; the migration is applied once', async () => {
    const workers = await startWorkers(3)
    try {
      for (let round = 0; round < 16; round++) {
        const file = freshSqliteFile()
        const startAt = Date.now() + 50
        // Even rounds: every process creates/opens the file at the signal (the WAL switch races).
        // Odd rounds: the file is opened first, and every process enters migrate() at the signal.
        const openAtStart = round % 2 === 0
        for (const w of workers) w.send({ type: 'migrate', round, file, startAt, openAtStart })
        const reports = await Promise.all(workers.map((w) => w.next('migrated')))
        expect(
          reports.map((r) => r.error),
          JSON.stringify(reports),
        ).toEqual([undefined, undefined, undefined])
        expect(reports.map((r) => r.applied?.join(',')).sort(), JSON.stringify(reports)).toEqual([
          '',
          '',
          SQLITE_ALL.join(','),
        ])
        const db = openSqliteDatabase(file)
        try {
          expect(db.$client.prepare('SELECT id FROM baton_migrations').all()).toEqual(sqliteIds)
          expect(db.$client.pragma('journal_mode', { simple: true })).toBe('wal')
          // Checkpoints every 40,000 pages, not SQLite's 1,000 (open-database.ts says why).
          expect(db.$client.pragma('wal_autocheckpoint', { simple: true })).toBe(40_000)
          await smoke(new SqliteSessionStore(db))
        } finally {
          db.$client.close()
        }
      }
    } finally {
      const codes = await Promise.all(workers.map((w) => w.close()))
      expect(codes).toEqual([0, 0, 0])
    }
  })
})

/** A Postgres database reachable through drizzle plus raw queries. */
interface PgTarget {
  db: Parameters<typeof migratePg>[0]
  query<T>(text: string): Promise<T[]>
}

async function describePgBasics(target: () => Promise<PgTarget & { dispose(): Promise<void> }>) {
  it('is idempotent: the second run applies nothing', async () => {
    const t = await target()
    try {
      expect(await migratePg(t.db)).toEqual(ALL)
      expect(await migratePg(t.db)).toEqual([])
      expect(await t.query('SELECT id FROM baton_migrations ORDER BY id')).toEqual(ALL.map((id) => ({ id })))
    } finally {
      await t.dispose()
    }
  })

  it('creates only acme_* relations under the prefix "acme_", and they work', async () => {
    const t = await target()
    try {
      expect(await migratePg(t.db, { prefix: 'acme_' })).toEqual(ALL)
      expect(await migratePg(t.db, { prefix: 'acme_' })).toEqual([])
      const relations = await t.query<{ name: string; kind: string }>(
        `SELECT relname AS name, relkind::text AS kind FROM pg_class WHERE relnamespace = current_schema()::regnamespace`,
      )
      expect(
        relations
          .filter((r) => r.kind === 'r')
          .map((r) => r.name)
          .sort(),
      ).toEqual(['acme_audit_events', 'acme_migrations', 'acme_rate_limits', 'acme_refresh_tokens', 'acme_sessions'])
      // Tables, indexes (primary keys included) and the audit id sequence.
      expect(relations.length).toBeGreaterThanOrEqual(15)
      for (const r of relations) expect(r.name).toMatch(/^acme_/)
      const [fk] = await t.query<{ target: string; name: string }>(
        `SELECT confrelid::regclass::text AS target, conname AS name FROM pg_constraint WHERE contype = 'f' AND conrelid = 'acme_refresh_tokens'::regclass`,
      )
      expect(fk).toEqual({ target: 'acme_sessions', name: 'acme_refresh_tokens_session_id_acme_sessions_id_fk' })
      await smoke(new PgSessionStore(t.db, { prefix: 'acme_' }))
    } finally {
      await t.dispose()
    }
  })

  it('refuses a prefix that could carry SQL with a ConfigError, and touches nothing', async () => {
    const t = await target()
    try {
      await t.query('CREATE TABLE y (v text)')
      for (const prefix of HOSTILE_PREFIXES) {
        await expect(migratePg(t.db, { prefix }), JSON.stringify(prefix)).rejects.toThrow(ConfigError)
        expect(() => new PgSessionStore(t.db, { prefix })).toThrow(ConfigError)
        expect(() => pgTables(prefix)).toThrow(ConfigError)
      }
      expect(
        await t.query(`SELECT relname AS name FROM pg_class WHERE relnamespace = current_schema()::regnamespace`),
      ).toEqual([{ name: 'y' }])
    } finally {
      await t.dispose()
    }
  })
}

describe('migrate() on PGlite', () => {
  // One PGlite (slow to start); each test works in an empty schema of its own.
  let client: PGlite | undefined
  let n = 0
  afterAll(async () => {
    await client?.close()
  })
  describePgBasics(async () => {
    client ??= new PGlite()
    const pglite = client
    const schema = `empty_${n++}`
    await pglite.exec(`CREATE SCHEMA ${schema}; SET search_path TO ${schema}`)
    return {
      db: drizzlePglite({ client: pglite }),
      query: async <T>(text: string) => (await pglite.query<T>(text)).rows,
      dispose: async () => {
        await pglite.exec(`SET search_path TO public; DROP SCHEMA ${schema} CASCADE`)
      },
    }
  })
})

/** A fresh, empty schema on the server, and pools whose connections work in it. */
async function emptyServerSchema(url: string) {
  const schema = `baton_test_${randomBytes(6).toString('hex')}`
  const admin = new pg.Client({ connectionString: url })
  await admin.connect()
  await admin.query(`CREATE SCHEMA "${schema}"`)
  const pools: pg.Pool[] = []
  const pool = () => {
    const p = new pg.Pool({ connectionString: url, max: 2, options: `-c search_path=${schema}` })
    pools.push(p)
    return p
  }
  return {
    schema,
    pool,
    async dispose() {
      await Promise.all(pools.map((p) => p.end()))
      await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
      await admin.end()
    },
  }
}

if (DATABASE_URL) {
  const url = DATABASE_URL
  describe('migrate() on the Postgres server', () => {
    describePgBasics(async () => {
      const s = await emptyServerSchema(url)
      const pool = s.pool()
      return {
        db: drizzleNodePg({ client: pool }),
        query: async <T>(text: string) => (await pool.query(text)).rows as T[],
        dispose: s.dispose,
      }
    })

    it('two pools migrating one fresh schema at once both succeed, and the migration is applied once', async () => {
      for (let round = 0; round < 5; round++) {
        const s = await emptyServerSchema(url)
        try {
          const a = drizzleNodePg({ client: s.pool() })
          const b = drizzleNodePg({ client: s.pool() })
          // Both pools connected before the race, so neither gets a head start.
          await Promise.all([a.execute('SELECT 1'), b.execute('SELECT 1')])
          const results = await Promise.allSettled([migratePg(a), migratePg(b)])
          const outcome = results.map((r) => (r.status === 'fulfilled' ? r.value.join(',') : `failed: ${r.reason}`))
          expect(outcome.sort()).toEqual(['', ALL.join(',')])
          const rows = await s.pool().query('SELECT id FROM baton_migrations ORDER BY id')
          expect(rows.rows).toEqual(ALL.map((id) => ({ id })))
          await smoke(new PgSessionStore(a))
        } finally {
          await s.dispose()
        }
      }
    })
  })
} else {
  console.warn('[baton] migrate() on the Postgres server SKIPPED: DATABASE_URL is not set (PGlite still runs).')
  describe('migrate() on the Postgres server', () => {
    it.skip('SKIPPED: DATABASE_URL is not set; concurrent migrate() across pools needs a server', () => {})
  })
}

/** scripts/embed-migrations.mjs, in memory: what the generated module must contain. */
function embed(dialect: 'sqlite' | 'pg'): Migration[] {
  const dir = join(packageDir, 'migrations', dialect)
  const journal = JSON.parse(readFileSync(join(dir, 'meta', '_journal.json'), 'utf8')) as {
    entries: { tag: string }[]
  }
  return journal.entries.map((entry) => ({
    id: entry.tag,
    statements: readFileSync(join(dir, `${entry.tag}.sql`), 'utf8')
      .split('--> statement-breakpoint')
      .map((s) => s.trim())
      .map((s) => s.replaceAll('"public".', ''))
      .filter(Boolean),
  }))
}

describe('embedded migrations', () => {
  it.each([
    { dialect: 'sqlite', embedded: sqliteMigrations },
    { dialect: 'pg', embedded: pgMigrations },
  ] as const)('src/$dialect/migrations.generated.ts matches migrations/$dialect/*.sql', ({ dialect, embedded }) => {
    const expected = embed(dialect)
    expect(expected.length).toBeGreaterThan(0)
    expect(embedded).toEqual(expected)
  })

  it('the embedding script is the one this test mirrors', () => {
    // If the script changes how it transforms the SQL, this mirror must change with it.
    const script = readFileSync(join(packageDir, 'scripts', 'embed-migrations.mjs'), 'utf8')
    for (const step of [
      `.split('--> statement-breakpoint')`,
      '.map((s) => s.trim())',
      `.map((s) => s.replaceAll('"public".', ''))`,
      '.filter(Boolean)',
      `join(dir, 'meta', '_journal.json')`,
    ]) {
      expect(script).toContain(step)
    }
  })
})
