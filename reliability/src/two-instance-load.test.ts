/**
 * Two `next start` processes of the demo app sharing one database (a SQLite
 * file, then a Postgres database), 200 simulated browsers on 127.0.0.1 spread
 * over both by a random load balancer. For LOAD_SECONDS (60) each browser
 * calls /api/me (where the proxy refreshes an access token near expiry),
 * refreshes, and sometimes refreshes twice at once. Required: zero false
 * sign-outs, zero 5xx, every double refresh handed one successor, and no
 * family with two live tokens in any snapshot taken during or after the run.
 * Then, at the login rate limit, two concurrent attempts on the two instances
 * get exactly one 429. Requests/s and p99 are printed; reliability/README.md
 * records them.
 */
import { randomBytes } from 'node:crypto'
import { createSessionEngine } from '@baton/core'
import { type Backend, backendKinds, openBackend } from '@baton/test-kit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findViolations } from './crash/consistency.js'
import { type AppServer, type AppTarget, appTarget, buildApp, startApp } from './load/app-server.js'
import { type LoadStats, newStats, percentile, SimulatedBrowser } from './load/browser.js'

const BROWSERS = Number(process.env.LOAD_BROWSERS ?? 200)
const SECONDS = Number(process.env.LOAD_SECONDS ?? 60)
const ACCESS_TTL = 6
/** Browsers that sign in through POST /api/auth/login; the rest get minted sessions (see below). */
const HTTP_SIGN_INS = 12
/**
 * Think time between a browser's requests, ms (LOAD_THINK_MS="min-max"). It keeps the offered load
 * (≈ 270 req/s) near what two servers on two shared cores serve, so queueing stays well under the
 * 10 s grace window: with no think time the servers saturate, p99 passes 8 s, and a double refresh
 * whose second request waits longer than reuseGrace is, by design, a reuse (see README).
 */
const THINK_MS = (process.env.LOAD_THINK_MS ?? '250-1250').split('-').map(Number) as [number, number]

const target: AppTarget = appTarget()
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

beforeAll(() => buildApp(target), 600_000)

function describeLoad(name: string, kind: 'sqlite' | 'postgres'): void {
  describe(`two instances of ${target.name} on ${name}, ${BROWSERS} browsers for ${SECONDS} s`, () => {
    let db: Backend
    let servers: AppServer[] = []
    const secret = randomBytes(32).toString('base64url')

    beforeAll(async () => {
      db = await openBackend({ kind, schemaPrefix: 'baton_rel' })
      const env = {
        ...target.databaseEnv(db.url ?? ''),
        BATON_SECRET: secret,
        BATON_ACCESS_TTL: String(ACCESS_TTL),
        BATON_REFRESH_TTL: '3600',
        BATON_REUSE_GRACE: '10',
      }
      // One after the other: both migrate and seed the same database on start.
      servers.push(await startApp(target, env))
      servers.push(await startApp(target, env))
    })

    afterAll(async () => {
      await Promise.all(servers.map((s) => s.stop()))
      servers = []
      await db?.close()
    })

    it('signs nobody out, answers no 5xx, and never leaves a family with two live tokens', async () => {
      const stats: LoadStats = newStats()
      const origins = servers.map((s) => s.origin)
      const browsers = Array.from({ length: BROWSERS }, (_, i) => new SimulatedBrowser(i, origins, stats))
      // All browsers share the demo account, whose login attempts are rate-limited (20 a minute per account
      // once an IP is known): the first ones sign in through the route, in batches under the limit (a
      // success resets the bucket), the others get their session from an engine on the same database and
      // secret, which writes the same rows a sign-in does. The sign-ins are not part of the measured run.
      const viaRoute = browsers.slice(0, Math.min(BROWSERS, HTTP_SIGN_INS))
      for (let i = 0; i < viaRoute.length; i += target.loginLimit - 1) {
        const batch = viaRoute.slice(i, i + target.loginLimit - 1)
        await Promise.all(batch.map((b) => b.signIn(target.email, target.password)))
      }
      const engine = createSessionEngine({ store: db.store, secret, issuer: 'baton', refreshTokenTtl: 3600 })
      const user = (await engine.verifyAccessToken(viaRoute[0]?.jar.get('baton.at') ?? '')).user
      for (const browser of browsers.slice(viaRoute.length)) {
        const issued = await engine.signIn({ subject: String((user as { id: unknown }).id), user })
        browser.jar.set('baton.at', issued.accessToken)
        browser.jar.set('baton.rt', issued.refreshToken)
      }
      Object.assign(stats, { ...newStats(), byStatus: new Map() })

      const snapshots: Record<string, unknown[]>[] = []
      const started = Date.now()
      const deadline = started + SECONDS * 1000
      const watcher = (async () => {
        while (Date.now() < deadline) {
          await sleep(10_000)
          snapshots.push(await db.snapshot(findViolations))
        }
      })()
      await Promise.all(
        browsers.map(async (browser) => {
          await sleep(Math.random() * 1000)
          while (Date.now() < deadline && browser.jar.get('baton.rt') !== undefined) {
            const dice = Math.random()
            if (dice < 0.55) await browser.me()
            else if (dice < 0.9) await browser.refresh()
            else await browser.doubleRefresh()
            await sleep(THINK_MS[0] + Math.random() * (THINK_MS[1] - THINK_MS[0]))
          }
        }),
      )
      const elapsed = (Date.now() - started) / 1000
      await watcher
      snapshots.push(await db.snapshot(findViolations))

      const figures = {
        target: target.name,
        backend: name,
        browsers: BROWSERS,
        thinkMs: THINK_MS.join('-'),
        maxMs: Math.round(Math.max(...stats.latencies)),
        seconds: Number(elapsed.toFixed(1)),
        requests: stats.requests,
        requestsPerSecond: Math.round(stats.requests / elapsed),
        p50Ms: Math.round(percentile(stats.latencies, 50)),
        p99Ms: Math.round(percentile(stats.latencies, 99)),
        doubleRefreshes: stats.doubleRefreshes,
        byStatus: Object.fromEntries([...stats.byStatus].sort()),
        falseSignOuts: stats.falseSignOuts.length,
        serverErrors: stats.serverErrors.length,
        snapshots: snapshots.length,
      }
      console.log(`[load] ${JSON.stringify(figures)}`)

      expect(stats.serverErrors.slice(0, 5)).toEqual([])
      expect(stats.falseSignOuts.slice(0, 5)).toEqual([])
      expect(stats.splitRefreshes).toBe(0)
      for (const violations of snapshots) expect(violations).toEqual({})
      expect(stats.doubleRefreshes).toBeGreaterThan(0)
      expect(stats.requests).toBeGreaterThan(BROWSERS * 5)
    })

    it('at the login limit, two concurrent attempts on the two instances get exactly one 429', async () => {
      const email = `nobody-${randomBytes(4).toString('hex')}@example.com`
      const attempt = (origin: string) =>
        fetch(`${origin}/api/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', origin },
          body: JSON.stringify({ email, password: 'wrong-password' }),
        }).then((r) => r.status)
      const [one, two] = servers as [AppServer, AppServer]
      for (let i = 0; i < target.loginLimit - 1; i++) expect(await attempt(i % 2 ? two.origin : one.origin)).toBe(401)
      const pair = await Promise.all([attempt(one.origin), attempt(two.origin)])
      expect(pair.sort()).toEqual([401, 429])
      expect(await attempt(two.origin)).toBe(429)
    })
  })
}

describeLoad('one SQLite file', 'sqlite')

if (target.supportsPostgres) {
  const { run, skipped } = backendKinds({ suite: 'load', kinds: ['postgres'] })
  if (run.length > 0) describeLoad('one Postgres database', 'postgres')
  for (const { reason } of skipped) {
    describe('two instances on one Postgres database', () => {
      it.skip(`SKIPPED: ${reason} (SQLite still ran)`, () => {})
    })
  }
} else {
  const why = `${target.name} has no Postgres mode`
  console.warn(`[load] Postgres part SKIPPED: ${why} (SQLite still ran).`)
  describe('two instances on one Postgres database', () => {
    it.skip(`SKIPPED: ${why}`, () => {})
  })
}
