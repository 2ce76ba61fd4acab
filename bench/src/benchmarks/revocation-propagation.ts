/**
 * revocation-propagation (issue 17): three `next start` instances of
 * bench/next-app on one Postgres server, each with the Postgres revocation
 * feed. Per trial a fresh session is checked on B and C (`GET /api/whoami`,
 * the default stateless check: 200), signed out everywhere on A (`POST
 * /api/auth/logout` `{ everywhere: true }`), and B and C are polled until both
 * refuse it. Reports p50 and p99 over the trials of the time from A's answer
 * to the last refusal; target p99 ≤ 100 ms.
 */
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createSessionEngine } from '@baton/core'
import { migrate, PgSessionStore } from '@baton/drizzle/pg'
import { drizzle } from 'drizzle-orm/node-postgres'
import pg from 'pg'
import { type BenchContext, type ResultRow, skipped } from '../harness.js'
import { ACCESS_COOKIE, REFRESH_COOKIE } from '../lib/app-sessions.js'
import { newSecret, startNextApp } from '../lib/next-app.js'

const ID = 'revocation-propagation'
const BASELINE = 'limit 100 ms (ratio = limit ÷ p99)'
const LIMIT_MS = 100
const DEFAULT_URL = 'postgres://postgres@127.0.0.1:5432/test'

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] as number

export default async function revocationPropagation(ctx: BenchContext): Promise<ResultRow[]> {
  if (!ctx.wants(ID)) return []
  const url = process.env.DATABASE_URL ?? DEFAULT_URL
  const shown = url.replace(/\/\/[^@]*@/, '//…@')
  const admin = new pg.Client({ connectionString: url })
  try {
    await admin.connect()
  } catch (error) {
    ctx.log(`  Postgres at ${shown} unreachable: ${(error as Error).message}`)
    return [
      skipped({ id: ID, baseline: BASELINE, target: 1 }, `no Postgres server reachable at ${shown} (set DATABASE_URL)`),
    ]
  }
  const schema = `baton_bench_${randomBytes(6).toString('hex')}`
  const pool = new pg.Pool({ connectionString: url, max: 2, options: `-c search_path=${schema}` })
  const dir = mkdtempSync(join(tmpdir(), 'baton-revocation-'))
  const secret = newSecret()
  const apps: Awaited<ReturnType<typeof startNextApp>>[] = []
  try {
    await admin.query(`CREATE SCHEMA "${schema}"`)
    const db = drizzle({ client: pool })
    await migrate(db)
    const env = { BENCH_PG_URL: url, BENCH_PG_SCHEMA: schema }
    for (let i = 0; i < 3; i++) {
      apps.push(await startNextApp({ db: join(dir, 'unused.db'), secret, readyPath: '/api/plain', log: ctx.log, env }))
    }
    const [a, b, c] = apps as [(typeof apps)[0], (typeof apps)[0], (typeof apps)[0]]
    const engine = createSessionEngine({ store: new PgSessionStore(db), secret, issuer: 'baton' })
    const trials = ctx.quick ? 20 : 100
    const timings: number[] = []
    const check = async (origin: string, cookie: string) =>
      (await fetch(`${origin}/api/whoami`, { headers: { cookie } })).status
    for (let i = 0; i < trials; i++) {
      const s = await engine.signIn({ subject: `user-${i}`, user: { id: `user-${i}` } })
      const cookie = `${ACCESS_COOKIE}=${s.accessToken}; ${REFRESH_COOKIE}=${s.refreshToken}`
      // Both listeners are up (the first checks start each instance's feed) and accept the session.
      for (let tries = 0; ; tries++) {
        const [sb, sc] = await Promise.all([check(b.origin, cookie), check(c.origin, cookie)])
        if (sb === 200 && sc === 200) break
        if (tries > 100) throw new Error(`B/C refused a live session: ${sb} ${sc}`)
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
      if (i === 0) await new Promise((resolve) => setTimeout(resolve, 500)) // feeds connected and caught up
      const out = await fetch(`${a.origin}/api/auth/logout`, {
        method: 'POST',
        headers: { cookie, origin: a.origin, 'content-type': 'application/json' },
        body: JSON.stringify({ everywhere: true }),
      })
      if (out.status !== 200) throw new Error(`logout answered ${out.status}: ${await out.text()}`)
      const t0 = performance.now()
      const refused = async (origin: string) => {
        for (;;) {
          if ((await check(origin, cookie)) === 401) return performance.now() - t0
          if (performance.now() - t0 > 5000) throw new Error(`${origin} still accepts a revoked session after 5 s`)
        }
      }
      const [tb, tc] = await Promise.all([refused(b.origin), refused(c.origin)])
      timings.push(Math.max(tb, tc))
    }
    timings.sort((x, y) => x - y)
    const p50 = Math.round(percentile(timings, 0.5) * 10) / 10
    const p99 = Math.round(percentile(timings, 0.99) * 10) / 10
    ctx.log(`  ${ID}: p50 ${p50} ms, p99 ${p99} ms over ${trials} trials`)
    return [
      {
        id: ID,
        value: p99,
        unit: 'ms',
        baseline: BASELINE,
        baselineValue: LIMIT_MS,
        ratio: Math.round((LIMIT_MS / Math.max(p99, 0.1)) * 1000) / 1000,
        target: 1,
        pass: p99 <= LIMIT_MS,
        notes:
          `three next start instances of bench/next-app on one Postgres server (${shown}), each with ` +
          `createPgRevocationFeed; per trial a fresh session accepted by B and C (GET /api/whoami, stateless), ` +
          `signed out everywhere on A, B and C polled until both refuse: p50 ${p50} ms, p99 ${p99} ms, ` +
          `max ${Math.round((timings.at(-1) ?? 0) * 10) / 10} ms over ${trials} trials (from A's answer to the last refusal, ` +
          `including the polling request's own round trip)`,
      },
    ]
  } finally {
    for (const app of apps) await app.stop().catch(() => undefined)
    await pool.end()
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => undefined)
    await admin.end()
    rmSync(dir, { recursive: true, force: true })
  }
}
