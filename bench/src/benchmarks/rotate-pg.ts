/**
 * rotate-pg: `PgSessionStore.rotateRefreshToken` (one statement with
 * data-modifying CTEs) against the raw driver running the very statement the
 * store sends, on the same connection, in two variants:
 *
 * - `rotate-pg/pglite`: PGlite in-process (in memory), raw `pglite.query`;
 * - `rotate-pg/server`: the Postgres server at DATABASE_URL (default
 *   postgres://postgres@127.0.0.1:5432/test) in a private schema dropped
 *   afterwards, raw `pool.query` with a named prepared statement, as drizzle
 *   does. Skipped with a note when the server is unreachable.
 */
import { deepStrictEqual } from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import type { RotateRefreshTokenInput } from '@baton/core'
import { type AnyPgDatabase, migrate, PgSessionStore } from '@baton/drizzle/pg'
import { PGlite } from '@electric-sql/pglite'
import { getTableName, type Logger } from 'drizzle-orm'
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres'
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite'
import pg from 'pg'
import { type BenchContext, compare, type ResultRow, row, skipped } from '../harness.js'
import { type Population, population, RotationFeed } from '../lib/sessions.js'

const TARGET = 0.7
const SERVER_POPULATION = 100_000
const PGLITE_POPULATION = 100_000
const DEFAULT_URL = 'postgres://postgres@127.0.0.1:5432/test'

/** The rotation's parameters in the order drizzle binds the CTE's placeholders (checked against the store's). */
function rotateParams(x: RotateRefreshTokenInput): unknown[] {
  return [
    // used: UPDATE … SET used_at, successor_hash WHERE hash, session_id, EXISTS (session)
    x.usedAt,
    x.successor.hash,
    x.hash,
    x.sessionId,
    x.sessionId,
    // inserted: INSERT … SELECT successor hash, session, parent, created, expires FROM used
    x.successor.hash,
    x.sessionId,
    x.hash,
    x.successor.createdAt,
    x.successor.expiresAt,
    // touched: UPDATE session … WHERE id AND EXISTS (used)
    x.session.lastUsedAt,
    x.session.expiresAt,
    x.session.userAgent,
    x.session.ip,
    x.sessionId,
  ]
}

/** Runs a statement; returns its rows as objects. */
type Query = (text: string, values?: unknown[]) => Promise<Record<string, unknown>[]>

/** Inserts the population in one transaction, set-based (unnest of arrays). */
async function populate(query: Query, tables: { sessions: string; tokens: string }, pop: Population) {
  await query('BEGIN')
  await query(
    `INSERT INTO "${tables.sessions}" (id, subject, "user", created_at, last_used_at, expires_at, absolute_expires_at, user_agent, ip)
     SELECT id, 'user-' || (n % 20000), jsonb_build_object('id', 'user-' || (n % 20000), 'email', 'user' || (n % 20000) || '@example.com', 'name', 'Bench User'),
            $2::bigint, $2::bigint, $3::bigint, $4::bigint, $5::text, $6::text
     FROM unnest($1::text[]) WITH ORDINALITY AS t(id, n)`,
    [
      pop.sessionIds,
      pop.session(0).created_at,
      pop.session(0).expires_at,
      pop.session(0).absolute_expires_at,
      pop.session(0).user_agent,
      pop.session(0).ip,
    ],
  )
  await query(
    `INSERT INTO "${tables.tokens}" (hash, session_id, created_at, expires_at)
     SELECT hash, session_id, $3::bigint, $4::bigint FROM unnest($1::text[], $2::text[]) AS t(hash, session_id)`,
    [pop.tokenHashes, pop.sessionIds, pop.token(0).created_at, pop.token(0).expires_at],
  )
  await query('COMMIT')
  await query(`ANALYZE "${tables.sessions}", "${tables.tokens}"`)
}

interface Variant {
  id: string
  baseline: string
  notes: string
  size: number
  /** A drizzle instance on the connection under test, with the given logger (or none). */
  drizzle(logger?: Logger): AnyPgDatabase
  query: Query
  /** The raw rotation: the store's statement text through the bare driver. */
  rawRotate(text: string, values: unknown[]): Promise<Record<string, unknown>[]>
}

async function measure(ctx: BenchContext, v: Variant): Promise<ResultRow> {
  const db = v.drizzle()
  await migrate(db)
  const store = new PgSessionStore(db)
  const tables = { sessions: getTableName(store.tables.sessions), tokens: getTableName(store.tables.refreshTokens) }

  let started = performance.now()
  const pop = population(v.size)
  await populate(v.query, tables, pop)
  const feed = new RotationFeed(pop)
  ctx.log(`  populated ${v.size.toLocaleString('en-US')} sessions + tokens in ${secondsSince(started)}`)

  // The exact statement the store sends: a second store, through a drizzle
  // instance that logs, rotates one token.
  const captured: { sql: string; params: unknown[] }[] = []
  const probeStore = new PgSessionStore(v.drizzle({ logQuery: (sql, params) => void captured.push({ sql, params }) }))
  const probe = feed.take()
  deepStrictEqual(await probeStore.rotateRefreshToken(probe), { status: 'rotated' })
  if (captured.length !== 1) {
    const sent = captured.map((c) => c.sql).join('\n')
    throw new Error(`expected 1 statement per rotation, the store sent ${captured.length}:\n${sent}`)
  }
  const statement = captured[0]!
  deepStrictEqual(statement.params, rotateParams(probe), 'rotation parameters')
  ctx.log(`  SQL: ${statement.sql.replace(/\s+/g, ' ')}`)

  const rounds = ctx.quick ? 4 : 14
  const warmupOps = ctx.quick ? 100 : 400
  started = performance.now()
  const result = await compare({
    subject: {
      name: 'store',
      async run(ops) {
        for (let i = 0; i < ops; i++) {
          const r = await store.rotateRefreshToken(feed.take())
          if (r.status !== 'rotated') throw new Error(`store rotation: ${r.status}`)
        }
      },
    },
    baseline: {
      name: 'raw',
      async run(ops) {
        for (let i = 0; i < ops; i++) {
          // One row, one column (unnamed in the store's SQL: its value is the count of successors inserted).
          const [r] = await v.rawRotate(statement.sql, rotateParams(feed.take()))
          if (!r || Number(Object.values(r)[0]) !== 1) throw new Error('raw rotation lost')
        }
      },
    },
    rounds,
    warmupOps,
    batchMs: ctx.quick ? 100 : 700,
    minOps: 100,
    maxOps: Math.floor((feed.remaining - 2 * warmupOps) / (2 * rounds)),
    log: ctx.log,
  })
  ctx.log(`  measured in ${secondsSince(started)}`)

  const [counts] = await v.query(
    `SELECT count(*) FILTER (WHERE used_at IS NOT NULL)::int AS used, count(*)::int AS total FROM "${tables.tokens}"`,
  )
  deepStrictEqual(counts, { used: feed.used, total: v.size + feed.used }, 'rotations recorded')
  return row({ id: v.id, baseline: v.baseline, target: TARGET, notes: v.notes }, result)
}

async function onPglite(ctx: BenchContext): Promise<ResultRow> {
  const client = await PGlite.create()
  try {
    const version = await client.query<{ v: string }>('SELECT version() AS v')
    ctx.env('PGlite Postgres', version.rows[0]!.v.split(' on ')[0]!)
    return await measure(ctx, {
      id: 'rotate-pg/pglite',
      baseline: 'raw PGlite query, same statement',
      size: PGLITE_POPULATION,
      notes: `${PGLITE_POPULATION.toLocaleString('en-US')} sessions + tokens, PGlite in memory, serial rotations, each of a distinct live token`,
      drizzle: (logger) => drizzlePglite({ client, ...(logger ? { logger } : {}) }),
      query: async (text, values) => (await client.query<Record<string, unknown>>(text, values)).rows,
      rawRotate: async (text, values) => (await client.query<Record<string, unknown>>(text, values)).rows,
    })
  } finally {
    await client.close()
  }
}

async function onServer(ctx: BenchContext): Promise<ResultRow> {
  const id = 'rotate-pg/server'
  const baseline = 'raw pg Pool query, same statement, named prepared'
  const url = process.env.DATABASE_URL || DEFAULT_URL
  const shown = url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@')
  const admin = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 })
  try {
    await admin.connect()
  } catch (error) {
    ctx.log(`  Postgres at ${shown} unreachable: ${(error as Error).message}`)
    return skipped({ id, baseline, target: TARGET }, `no Postgres server reachable at ${shown} (set DATABASE_URL)`)
  }
  const schema = `baton_bench_${randomBytes(6).toString('hex')}`
  const pool = new pg.Pool({ connectionString: url, max: 2, options: `-c search_path=${schema}` })
  try {
    await admin.query(`CREATE SCHEMA "${schema}"`)
    const settings = await admin.query<{ v: string; sc: string }>(
      `SELECT split_part(version(), ' on ', 1) AS v, current_setting('synchronous_commit') AS sc`,
    )
    const { v, sc } = settings.rows[0]!
    ctx.env('Postgres server', v)
    return await measure(ctx, {
      id,
      baseline,
      size: SERVER_POPULATION,
      notes:
        `${SERVER_POPULATION.toLocaleString('en-US')} sessions + tokens, ${v} on the same machine over TCP ` +
        `(synchronous_commit=${sc}), one pg Pool for both sides, serial rotations, each of a distinct live token`,
      drizzle: (logger) => drizzleNodePg({ client: pool, ...(logger ? { logger } : {}) }),
      query: async (text, values) => (await pool.query(text, values)).rows,
      rawRotate: async (text, values) => (await pool.query({ name: 'bench_raw_rotate', text, values })).rows,
    })
  } finally {
    await pool.end()
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
    await admin.end()
  }
}

export default async function rotatePg(ctx: BenchContext): Promise<ResultRow[]> {
  const rows: ResultRow[] = []
  if (ctx.wants('rotate-pg/pglite')) {
    ctx.log('  PGlite (in-process)')
    rows.push(await onPglite(ctx))
  }
  if (ctx.wants('rotate-pg/server')) {
    ctx.log('  Postgres server')
    rows.push(await onServer(ctx))
  }
  return rows
}

function secondsSince(since: number): string {
  return `${((performance.now() - since) / 1000).toFixed(1)} s`
}
