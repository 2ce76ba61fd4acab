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
      const tokens: string[] = []
      let next = 0
      const take = () => {
        const token = tokens[next++]
        if (token === undefined) throw new Error('refresh-http: out of refresh tokens')
        return token
      }
      const addTokens = async (count: number) => {
        const started = performance.now()
        for (const s of await signInSessions(db, secret, count)) tokens.push(s.refreshToken)
        ctx.log(`  signed in ${count} sessions in ${((performance.now() - started) / 1000).toFixed(1)} s`)
      }
      const refresh: HttpSide = {
        name: 'refresh',
        options: {
          url: app.origin,
          connections: CONNECTIONS,
          requests: [
            {
              method: 'POST',
              path: '/api/auth/refresh',
              headers: { origin: app.origin },
              setupRequest: (request) => ({
                ...request,
                headers: { ...request.headers, cookie: `${REFRESH_COOKIE}=${take()}` },
              }),
            },
          ],
        },
      }
      const plain: HttpSide = {
        name: 'plain GET',
        options: { url: `${app.origin}/api/plain`, connections: CONNECTIONS },
      }

      // Size the token pool from a short probe: every request needs a fresh token.
      await addTokens(2_000)
      const probe = await load(refresh, { amount: 500 })
      const rounds = ctx.quick ? 2 : 8
      const seconds = ctx.quick ? 1 : 2
      const warmupSeconds = ctx.quick ? 1 : 2
      const needed = Math.ceil(rate(probe) * 2 * (rounds * seconds + warmupSeconds)) + 1_000
      ctx.log(`  probe: ${Math.round(rate(probe))} refresh/s; pool of ${needed} more tokens`)
      await addTokens(needed)

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
      const runs = 2 + rounds
      if (usedCount > next || usedCount < next - CONNECTIONS * runs) {
        throw new Error(`refresh-http: ${next} refresh requests prepared, but ${usedCount} tokens used`)
      }

      const p99 = result.subjectP99
      return [
        httpRow(
          {
            id: 'refresh-http',
            baseline: 'GET of a dynamic route without auth',
            notes:
              'next start -H 127.0.0.1 of bench/next-app, SQLite store (WAL) on a file in the OS temp dir, ' +
              `each request a distinct live refresh cookie (${usedCount} rotations, each checked in the store), ` +
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
