/**
 * peer-session-check: authenticating one request in-process, as a server
 * component does on every render. Baton's `session()` (from `createBaton`,
 * SQLite store) reads the request's headers, takes the access cookie and
 * verifies the JWT; Better Auth's `auth.api.getSession({ headers })` on the
 * same SQLite file (better-sqlite3) reads its session cookie and loads the
 * session — from the database with its cookie cache off, from the signed
 * `session_data` cookie with it on. One row per Better Auth setting.
 *
 * `session()` gets its headers from `next/headers`, which only works inside
 * a Next request. As in a Next build, Baton is bundled (esbuild, from source)
 * with `next/headers` aliased to a module whose `headers()` returns the
 * current request's Headers (Better Auth is handed the very same object) and
 * `next/cache` to one whose `io()` resolves at once, as Next's does during a
 * request. (Unbundled, each `session()` would pay for dynamic imports of
 * `next/headers` and `next/cache` through Node's module loader — ~300 µs
 * each under tsx — which no Next app pays.)
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { migrate, openSqliteDatabase, SqliteSessionStore } from '@baton/drizzle/sqlite'
import type { createBaton as CreateBaton } from '@baton/next'
import type { betterAuth as BetterAuth } from 'better-auth'
import type { getMigrations as GetMigrations } from 'better-auth/db/migration'
import Database from 'better-sqlite3'
import { build } from 'esbuild'
import { type BenchContext, compare, type ResultRow, row } from '../harness.js'

const holder = globalThis as { __benchRequestHeaders?: Headers }
const BENCH_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..')

interface Bundle {
  createBaton: typeof CreateBaton
  betterAuth: typeof BetterAuth
  getMigrations: typeof GetMigrations
}

/**
 * Baton and Better Auth bundled the way Next bundles server code (both sides
 * alike: Better Auth, too, imports modules dynamically on its request path),
 * `next/headers` served from `holder`.
 */
async function bundle(): Promise<Bundle> {
  const dir = join(BENCH_DIR, 'node_modules', '.cache', 'peer-session-check')
  mkdirSync(dir, { recursive: true })
  const stub = join(dir, 'next-headers.js')
  writeFileSync(stub, 'export async function headers() { return globalThis.__benchRequestHeaders }\n')
  // session() calls next/cache's io() before reading the clock (Next ≥ 16.3); during a request it resolves at
  // once. Left external, its import('next/cache') would go through Node's module loader on every call.
  const cacheStub = join(dir, 'next-cache.js')
  writeFileSync(cacheStub, 'export async function io() {}\n')
  const entry = join(dir, 'entry.js')
  writeFileSync(
    entry,
    "export { createBaton } from '@baton/next'\nexport { betterAuth } from 'better-auth'\n" +
      "export { getMigrations } from 'better-auth/db/migration'\n",
  )
  const outfile = join(dir, `baton-${process.pid}.mjs`)
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    conditions: ['@baton/source'],
    alias: { 'next/headers': stub, 'next/cache': cacheStub },
    // Native or absent optional modules stay imports; everything else is in the bundle.
    external: ['next', 'next/*', 'better-sqlite3', 'pg', 'mysql2', 'mongodb', '@opentelemetry/api', '@tanstack/*'],
    absWorkingDir: BENCH_DIR,
    logLevel: 'error',
  })
  try {
    return (await import(pathToFileURL(outfile).href)) as Bundle
  } finally {
    rmSync(outfile, { force: true })
  }
}

const ORIGIN = 'http://127.0.0.1:3000'
const SECRET = 'bench-peer-secret-0123456789abcdef-0123456789'

async function betterAuthSetup({ betterAuth, getMigrations }: Bundle, file: string, cookieCache: boolean) {
  const auth = betterAuth({
    database: new Database(file),
    secret: SECRET,
    baseURL: ORIGIN,
    emailAndPassword: { enabled: true },
    session: { cookieCache: { enabled: cookieCache, maxAge: 5 * 60 } },
    telemetry: { enabled: false },
    logger: { disabled: true },
  })
  const { runMigrations } = await getMigrations(auth.options)
  await runMigrations()
  const email = `ada-${cookieCache ? 'cached' : 'db'}@example.com`
  const signUp = await auth.api.signUpEmail({
    body: { email, password: 'correct-horse-battery-staple', name: 'Ada' },
    asResponse: true,
  })
  const jar = new Map<string, string>()
  const keep = (response: Response) => {
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';')
      const eq = pair.indexOf('=')
      jar.set(pair.slice(0, eq), pair.slice(eq + 1))
    }
  }
  keep(signUp)
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ')
  // A first getSession may set the cache cookie; keep whatever it sets.
  keep(await auth.api.getSession({ headers: new Headers({ cookie: cookie() }), asResponse: true }))
  const headers = new Headers({ cookie: cookie(), 'user-agent': 'bench' })
  const found = await auth.api.getSession({ headers })
  if (found?.user.email !== email) throw new Error('Better Auth: no session for the signed-up user')
  const cached = [...jar.keys()].some((k) => k.endsWith('session_data'))
  if (cached !== cookieCache) throw new Error(`Better Auth: cookie cache ${cookieCache ? 'missing' : 'unexpected'}`)
  return { auth, headers, cookies: [...jar.keys()].join(', ') }
}

export default async function peerSessionCheck(ctx: BenchContext): Promise<ResultRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'baton-bench-peer-'))
  const file = join(dir, 'peer.db')
  try {
    const db = openSqliteDatabase(file)
    migrate(db)
    const bundled = await bundle()
    const baton = bundled.createBaton({
      store: new SqliteSessionStore(db),
      secret: SECRET,
      cookies: { secure: false, hostPrefix: false },
      async authenticate() {
        return null
      },
    })
    const user = { id: 'user-ada', email: 'ada@example.com', name: 'Ada' }
    const issued = await baton.engine.signIn({ subject: user.id, user })
    const batonHeaders = new Headers({
      cookie: `${baton.cookieNames.access}=${issued.accessToken}; ${baton.cookieNames.refresh}=${issued.refreshToken}`,
      'user-agent': 'bench',
    })
    holder.__benchRequestHeaders = batonHeaders
    const first = await baton.session()
    if (first?.subject !== user.id) throw new Error('Baton: session() found no session')

    const rows: ResultRow[] = []
    for (const cookieCache of [true, false]) {
      const id = `peer-session-check/${cookieCache ? 'cookie-cache' : 'no-cache'}`
      if (!ctx.wants(id)) continue
      const peer = await betterAuthSetup(bundled, file, cookieCache)
      ctx.log(`  ${id}: Better Auth cookies ${peer.cookies}`)
      const result = await compare({
        subject: {
          name: 'baton session()',
          async run(ops) {
            holder.__benchRequestHeaders = batonHeaders
            for (let i = 0; i < ops; i++) if ((await baton.session()) === null) throw new Error('Baton: no session')
          },
        },
        baseline: {
          name: 'better-auth getSession',
          async run(ops) {
            for (let i = 0; i < ops; i++)
              if ((await peer.auth.api.getSession({ headers: peer.headers })) === null) throw new Error('no session')
          },
        },
        rounds: ctx.quick ? 4 : 12,
        warmupOps: ctx.quick ? 200 : 1_000,
        batchMs: ctx.quick ? 100 : 300,
        minOps: 50,
        maxOps: 1_000_000,
        log: ctx.log,
      })
      rows.push(
        row(
          {
            id,
            baseline: `Better Auth getSession, cookie cache ${cookieCache ? 'on' : 'off'}`,
            target: 2,
            notes:
              `both on one SQLite file (better-sqlite3, WAL); Baton: createBaton(...).session(), bundled with esbuild ` +
              `as Next bundles server code (Better Auth too), with an HS256 access ` +
              `cookie (stateless JWT check); Better Auth ${cookieCache ? 'reads the signed session_data cookie' : 'loads session and user from SQLite'} ` +
              `(emailAndPassword, default session options)`,
          },
          result,
        ),
      )
    }
    db.$client.close()
    return rows
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
