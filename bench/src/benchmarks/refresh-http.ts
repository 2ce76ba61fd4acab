/**
 * refresh-http: `POST /api/auth/refresh` of a real `next start`
 * (bench/next-app, SQLite store), each request presenting a different live
 * refresh cookie so that every one is a real rotation (compare-and-set, a
 * successor, new cookies and a new access token), against `GET` of a dynamic
 * route that does no auth. Also reports the refresh p99 latency at 10
 * connections against its 50 ms limit (`refresh-http/p99`).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openSqliteDatabase } from '@baton/drizzle/sqlite'
import type { BenchContext, ResultRow } from '../harness.js'
import { REFRESH_COOKIE, signInSessions } from '../lib/app-sessions.js'
import { compareHttp, type HttpSide, httpRow, load, rate } from '../lib/http-compare.js'
import { newSecret, startNextApp } from '../lib/next-app.js'
import { TokenPool, tokenSide } from '../lib/token-pool.js'

const CONNECTIONS = 10
const P99_LIMIT_MS = 50

export default async function refreshHttp(ctx: BenchContext): Promise<ResultRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'baton-bench-refresh-'))
  const db = join(dir, 'app.db')
  const secret = newSecret()
  try {
    await signInSessions(db, secret, 1) // migrates the file before the app opens it
    const app = await startNextApp({ db, secret, readyPath: '/api/plain', log: ctx.log })
    try {
      const pool = new TokenPool(async (count) => {
        const started = performance.now()
        const tokens = (await signInSessions(db, secret, count)).map((s) => s.refreshToken)
        ctx.log(`  signed in ${count} sessions in ${((performance.now() - started) / 1000).toFixed(1)} s`)
        return tokens
      })
      // Every request presents a fresh token; the pool is sized from the measured rate before each run.
      const refresh = tokenSide({
        name: 'refresh',
        pool,
        options: { url: app.origin, connections: CONNECTIONS },
        request: (request, token) => ({
          ...request,
          method: 'POST',
          path: '/api/auth/refresh',
          headers: { ...request.headers, origin: app.origin, cookie: `${REFRESH_COOKIE}=${token}` },
        }),
        filler: (request) => ({ ...request, method: 'GET', path: '/api/plain' }),
        log: ctx.log,
      })
      const plain: HttpSide = {
        name: 'plain GET',
        options: { url: `${app.origin}/api/plain`, connections: CONNECTIONS },
      }

      // A short probe measures the rate the first timed runs size their pools from.
      const probe = await load(refresh, { amount: 500 })
      ctx.log(`  probe: ${Math.round(rate(probe))} refresh/s`)
      const rounds = ctx.quick ? 2 : 8
      const seconds = ctx.quick ? 1 : 2
      const warmupSeconds = ctx.quick ? 1 : 2

      const result = await compareHttp({
        subject: refresh,
        baseline: plain,
        rounds,
        seconds,
        warmupSeconds,
        log: ctx.log,
      })

      // Every request was a real rotation: one used token and one successor each.
      const check = openSqliteDatabase(db)
      const used = check.$client.prepare('SELECT count(*) FROM baton_refresh_tokens WHERE used_at IS NOT NULL').pluck()
      const usedCount = Number(used.get())
      check.$client.close()
      // autocannon prepares a request per connection that the end of a run cancels: up to CONNECTIONS per run unsent.
      const taken = pool.taken
      if (usedCount > taken || usedCount < taken - CONNECTIONS * refresh.runs) {
        throw new Error(`refresh-http: ${taken} refresh requests prepared, but ${usedCount} tokens used`)
      }

      const p99 = result.subjectP99
      return [
        httpRow(
          {
            id: 'refresh-http',
            baseline: 'GET of a dynamic route without auth',
            // Issue 15 (the server layer): a refresh costs at most 1 / 0.6 of a GET that does nothing.
            target: 0.6,
            notes:
              'next start -H 127.0.0.1 of bench/next-app, SQLite store (WAL) on a file in the OS temp dir, ' +
              `each request a distinct live refresh cookie (${usedCount} rotations, each checked in the store; ` +
              `${pool.minted} sessions signed in between runs, sized from the measured rate` +
              `${refresh.starvedRuns > 0 ? `, ${refresh.starvedRuns} runs redone with a larger pool` : ''}), ` +
              'response sets new access and refresh cookies; autocannon on 127.0.0.1',
            connections: CONNECTIONS,
            seconds,
          },
          result,
        ),
        {
          id: 'refresh-http/p99',
          value: p99,
          unit: 'ms',
          baseline: `limit ${P99_LIMIT_MS} ms (ratio = limit ÷ p99)`,
          baselineValue: P99_LIMIT_MS,
          ratio: Math.round((P99_LIMIT_MS / p99) * 1000) / 1000,
          target: 1,
          pass: p99 < P99_LIMIT_MS,
          notes:
            `median of the per-round p99 latencies of POST /api/auth/refresh at ${CONNECTIONS} connections ` +
            `(largest ${result.subjectP99Max} ms; the GET baseline's ${result.baselineP99} ms)`,
        },
      ]
    } finally {
      await app.stop()
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
