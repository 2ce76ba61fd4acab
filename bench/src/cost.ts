/**
 * Where a refresh's server time goes, as CPU time rather than throughput:
 * `next start` of bench/next-app serves, in turns of 2 s at 10 connections,
 * the plain GET (refresh-http's baseline), the same GET through a catch-all
 * route like `/api/auth/[...baton]`, a POST answering exactly like refresh
 * (headers, JSON body, two Set-Cookie) from a static and from a catch-all
 * route, and the real refresh. Each turn reads the CPU time (user + system,
 * /proc) of the server's process group, so a turn slowed by other processes
 * on a shared machine costs no more CPU per request, only more wall time: the
 * figures hold where req/s ratios spread widely. Linux only; not part of
 * `pnpm bench`.
 *
 *   pnpm --filter bench run cost [rounds]
 *
 * "route shape" = catch-all POST − plain GET (Next's cost of a route shaped
 * like refresh); "Baton" = refresh − catch-all POST (the rotation, the
 * store, signing, Baton's route code).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { REFRESH_COOKIE, signInSessions } from './lib/app-sessions.js'
import { type HttpSide, load, rate } from './lib/http-compare.js'
import { newSecret, startNextApp } from './lib/next-app.js'
import { TokenPool, tokenSide } from './lib/token-pool.js'

const rounds = Number(process.argv[2] ?? 5)
const dir = mkdtempSync(join(tmpdir(), 'baton-cost-'))
const db = join(dir, 'app.db')
const secret = newSecret()

/** CPU ticks (user + system, 1/100 s) of every process in a process group. */
function groupTicks(pgid: number): number {
  let sum = 0
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    let stat: string
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
    } catch {
      continue // ended meanwhile
    }
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    if (Number(fields[2]) === pgid) sum += Number(fields[11]) + Number(fields[12])
  }
  return sum
}

try {
  await signInSessions(db, secret, 1)
  const app = await startNextApp({ db, secret, readyPath: '/api/plain', log: console.error })
  try {
    const side = (name: string, path: string, method: 'GET' | 'POST' = 'GET'): [string, HttpSide] => [
      name,
      { name, options: { url: `${app.origin}${path}`, method, connections: 10, headers: { origin: app.origin } } },
    ]
    const pool = new TokenPool(async (n) => (await signInSessions(db, secret, n)).map((s) => s.refreshToken))
    const refresh = tokenSide({
      name: 'refresh',
      pool,
      options: { url: app.origin, connections: 10 },
      request: (r, token) => ({
        ...r,
        method: 'POST',
        path: '/api/auth/refresh',
        headers: { ...r.headers, origin: app.origin, cookie: `${REFRESH_COOKIE}=${token}` },
      }),
      filler: (r) => ({ ...r, method: 'GET', path: '/api/plain' }),
      log: () => undefined,
      initialRate: 600,
    })
    const sides: [string, HttpSide][] = [
      side('plain GET (static route)', '/api/plain'),
      side('GET, catch-all route', '/api/shape/a'),
      side('POST answering like refresh, static route', '/api/shape-static', 'POST'),
      side('POST answering like refresh, catch-all route', '/api/shape/refresh', 'POST'),
      ['POST /api/auth/refresh', refresh],
    ]
    const cpu = new Map<string, { ticks: number; requests: number; rates: number[] }>()
    for (const [, s] of sides) await load(s, { duration: 1 })
    for (let round = 0; round < rounds; round++) {
      for (const [name, s] of round % 2 === 0 ? sides : [...sides].reverse()) {
        const before = groupTicks(app.pid)
        const result = await load(s, { duration: 2 })
        const entry = cpu.get(name) ?? { ticks: 0, requests: 0, rates: [] }
        entry.ticks += groupTicks(app.pid) - before
        entry.requests += result.requests.total
        entry.rates.push(rate(result))
        cpu.set(name, entry)
      }
      console.error(`  round ${round + 1}/${rounds}`)
    }
    const perRequest = (name: string) => {
      const entry = cpu.get(name)
      return entry ? (entry.ticks * 10_000) / entry.requests : Number.NaN
    }
    const plain = perRequest('plain GET (static route)')
    console.log(`\nserver CPU per request (${rounds} rounds of 2 s per side, 10 connections):`)
    for (const [name] of sides) {
      const us = perRequest(name)
      const rates = [...(cpu.get(name)?.rates ?? [])].sort((a, b) => a - b)
      const medianRate = rates[Math.floor(rates.length / 2)] ?? 0
      console.log(
        `${us.toFixed(0).padStart(6)} µs  ×${(us / plain).toFixed(2)}  ${name} (median ${Math.round(medianRate)} req/s)`,
      )
    }
    const shape = perRequest('POST answering like refresh, catch-all route')
    const full = perRequest('POST /api/auth/refresh')
    console.log(
      `\nroute shape ${(shape - plain).toFixed(0)} µs (×${((shape - plain) / plain).toFixed(2)} plain), ` +
        `Baton ${(full - shape).toFixed(0)} µs (×${((full - shape) / plain).toFixed(2)} plain); ` +
        `CPU ratio plain ÷ refresh ${(plain / full).toFixed(3)}`,
    )
  } finally {
    await app.stop()
  }
} finally {
  rmSync(dir, { recursive: true, force: true })
}
