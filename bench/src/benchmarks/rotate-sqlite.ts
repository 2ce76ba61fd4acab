/**
 * rotate-sqlite: `SqliteSessionStore.rotateRefreshToken` on a file of 100k
 * live sessions and tokens, against raw better-sqlite3 running the very
 * statements the store runs, in the same `BEGIN IMMEDIATE` transaction, on
 * the same connection.
 */
import { deepStrictEqual } from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { RotateRefreshTokenInput } from '@baton/core'
import { migrate, openSqliteDatabase, SqliteSessionStore } from '@baton/drizzle/sqlite'
import type Database from 'better-sqlite3'
import { getTableName } from 'drizzle-orm'
import { drizzle } from 'drizzle-orm/better-sqlite3'
import { type BenchContext, compare, type ResultRow, row } from '../harness.js'
import { type Population, population, RotationFeed } from '../lib/sessions.js'

const POPULATION = 100_000

/** Positional parameters of the store's three statements, in the order drizzle binds them (checked below). */
const params = {
  markUsed: (x: RotateRefreshTokenInput) => [x.successor.hash, x.usedAt, x.hash, x.sessionId, x.sessionId],
  insertToken: (x: RotateRefreshTokenInput) => {
    const s = x.successor
    return [s.hash, s.sessionId, s.parentHash, s.successorHash, s.createdAt, s.expiresAt, s.usedAt]
  },
  touchSession: (x: RotateRefreshTokenInput) => [
    x.session.lastUsedAt,
    x.session.expiresAt,
    x.session.userAgent,
    x.session.ip,
    x.sessionId,
  ],
}

function populate(client: Database.Database, tables: { sessions: string; tokens: string }, pop: Population) {
  const insertSession = client.prepare(
    `INSERT INTO "${tables.sessions}" (id, subject, user, created_at, last_used_at, expires_at, absolute_expires_at, user_agent, ip)
     VALUES (@id, @subject, @user, @created_at, @last_used_at, @expires_at, @absolute_expires_at, @user_agent, @ip)`,
  )
  const insertToken = client.prepare(
    `INSERT INTO "${tables.tokens}" (hash, session_id, created_at, expires_at) VALUES (@hash, @session_id, @created_at, @expires_at)`,
  )
  client.transaction(() => {
    for (let i = 0; i < pop.size; i++) insertSession.run(pop.session(i))
    for (let i = 0; i < pop.size; i++) insertToken.run(pop.token(i))
  })()
  client.exec('ANALYZE')
}

export default async function rotateSqlite(ctx: BenchContext): Promise<ResultRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'baton-bench-sqlite-'))
  try {
    // 'inline': this benchmark runs the checkpoints itself, untimed between slices (below), not in a worker.
    const db = openSqliteDatabase(join(dir, 'rotate.sqlite'), { checkpoint: 'inline' })
    // openSqliteDatabase's drizzle instance carries its better-sqlite3 connection (typed away by AnySqliteDatabase).
    const client = (db as typeof db & { $client: Database.Database }).$client
    migrate(db)
    const store = new SqliteSessionStore(db)
    const tables = { sessions: getTableName(store.tables.sessions), tokens: getTableName(store.tables.refreshTokens) }
    ctx.env('SQLite (better-sqlite3)', String(client.prepare('SELECT sqlite_version() AS v').pluck().get()))

    let started = performance.now()
    const pop = population(POPULATION)
    populate(client, tables, pop)
    const feed = new RotationFeed(pop)
    ctx.log(`  populated ${POPULATION.toLocaleString('en-US')} sessions + tokens in ${fmtMs(started)}`)

    // The exact SQL the store runs: a second store on the same connection,
    // through a drizzle instance that logs, rotates one token.
    const captured: { sql: string; params: unknown[] }[] = []
    const probeStore = new SqliteSessionStore(
      drizzle({ client, logger: { logQuery: (sql, p) => void captured.push({ sql, params: p }) } }),
    )
    const probe = feed.take()
    deepStrictEqual(await probeStore.rotateRefreshToken(probe), { status: 'rotated' })
    if (captured.length !== 3) {
      const ran = captured.map((c) => c.sql).join('\n')
      throw new Error(`expected 3 statements per rotation, the store ran ${captured.length}:\n${ran}`)
    }
    const [markUsedSql, insertSql, touchSql] = captured as [
      (typeof captured)[0],
      (typeof captured)[0],
      (typeof captured)[0],
    ]
    deepStrictEqual(markUsedSql.params, params.markUsed(probe), 'mark-used parameters')
    deepStrictEqual(insertSql.params, params.insertToken(probe), 'successor insert parameters')
    deepStrictEqual(touchSql.params, params.touchSession(probe), 'session update parameters')
    for (const c of captured) ctx.log(`  SQL: ${c.sql}`)

    // Raw better-sqlite3: the same three statements, the same transaction mode.
    const markUsed = client.prepare(markUsedSql.sql)
    const insertToken = client.prepare(insertSql.sql)
    const touchSession = client.prepare(touchSql.sql)
    const rawRotate = client.transaction((x: RotateRefreshTokenInput) => {
      if (markUsed.get(...params.markUsed(x)) === undefined) return false
      insertToken.run(...params.insertToken(x))
      touchSession.run(...params.touchSession(x))
      return true
    })

    // WAL checkpoints come in bursts (one every ~1000 pages written, with an
    // fsync): left automatic, each lands on whichever side's slice crosses the
    // threshold, and the ratio turns into a count of checkpoints. They copy the
    // same pages for both sides, so they run untimed between slices instead,
    // followed by one small write of the bench's own, which pays for restarting
    // the WAL (otherwise charged to whichever side writes first).
    client.pragma('wal_autocheckpoint = 0')
    client.exec('CREATE TABLE bench_wal_restart (n INTEGER NOT NULL); INSERT INTO bench_wal_restart VALUES (0)')
    const checkpoint = client.prepare('PRAGMA wal_checkpoint(PASSIVE)')
    const restartWal = client.prepare('UPDATE bench_wal_restart SET n = n + 1')

    const rounds = ctx.quick ? 4 : 16
    const warmupOps = ctx.quick ? 500 : 2_000
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
        run(ops) {
          for (let i = 0; i < ops; i++) if (!rawRotate.immediate(feed.take())) throw new Error('raw rotation lost')
        },
      },
      rounds,
      warmupOps,
      batchMs: ctx.quick ? 100 : 600,
      between: () => {
        checkpoint.get()
        restartWal.run()
      },
      minOps: 200,
      maxOps: Math.floor((feed.remaining - 2 * warmupOps) / (2 * rounds)),
      log: ctx.log,
    })
    ctx.log(`  measured in ${fmtMs(started)}`)

    // Every rotation really happened: one used token and one successor each.
    const rotations = feed.used
    const used = client.prepare(`SELECT count(*) FROM "${tables.tokens}" WHERE used_at IS NOT NULL`).pluck().get()
    const total = client.prepare(`SELECT count(*) FROM "${tables.tokens}"`).pluck().get()
    deepStrictEqual([used, total], [rotations, POPULATION + rotations], 'rotations recorded')
    client.close()

    return [
      row(
        {
          id: 'rotate-sqlite',
          baseline: 'raw better-sqlite3, same 3 statements in BEGIN IMMEDIATE',
          target: 0.8,
          notes:
            `${POPULATION.toLocaleString('en-US')} sessions + tokens, file in ${tmpdir()} opened by openSqliteDatabase ` +
            '(WAL, synchronous=NORMAL), serial rotations, each of a distinct live token; ' +
            'WAL checkpoints run untimed between slices (same pages for both sides)',
        },
        result,
      ),
    ]
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

function fmtMs(since: number): string {
  return `${((performance.now() - since) / 1000).toFixed(1)} s`
}
