/**
 * Builds and runs `bench/next-app` for the HTTP benchmarks: `tsdown` for the
 * packages whose `dist` is stale (the app consumes `dist`, as a user's app
 * would), `next build` when the app or those `dist`s changed since the last
 * build (a hash kept in `.next/`), then `next start -H 127.0.0.1` on a free
 * port with its own SQLite file and secret. Every process it starts runs in
 * a group of its own that `stop()` ends, and that ends with the benchmark's
 * process however that ends (`./processes.ts`).
 */
import { createHash, randomBytes } from 'node:crypto'
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { distIsStale, listFiles, runCommand, startNext } from '@baton/test-kit'
import { spawnGroup } from './processes.js'

const BENCH_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
export const APP_DIR = join(BENCH_DIR, 'next-app')
const ROOT = join(BENCH_DIR, '..')
const PACKAGE_DIRS = ['core', 'drizzle', 'next'].map((name) => join(ROOT, 'packages', name))
const HASH_FILE = join(APP_DIR, '.next', 'bench-inputs.sha256')

export interface NextApp {
  origin: string
  port: number
  /** `next build` time in ms, 0 when the build was up to date. */
  buildMs: number
  logs(): string
  /** The server's pid, e.g. to profile it. */
  pid: number
  stop(): Promise<void>
}

function buildInputs(): string {
  const hash = createHash('sha256')
  const files = [
    ...listFiles(APP_DIR, (p) => /(^|\/)(node_modules|\.next|\.data)$|next-env\.d\.ts$/.test(p)),
    ...PACKAGE_DIRS.flatMap((dir) => listFiles(join(dir, 'dist'), (p) => p.endsWith('.map'))),
    join(APP_DIR, 'node_modules', 'next', 'package.json'),
  ].sort()
  for (const file of files) hash.update(relative(ROOT, file)).update('\0').update(readFileSync(file)).update('\0')
  return hash.digest('hex')
}

/** The env of the app: production, no telemetry, the given SQLite file and secret. */
export function appEnv(db: string, secret: string): NodeJS.ProcessEnv {
  return { ...process.env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1', BENCH_DB: db, BATON_SECRET: secret }
}

export function newSecret(): string {
  return randomBytes(32).toString('base64url')
}

/** Builds what is stale and starts `next start`; resolves once `readyPath` answers. */
export async function startNextApp(options: {
  db: string
  secret: string
  readyPath: string
  log: (message: string) => void
  /** Extra Node flags for the server process (e.g. `--cpu-prof`), before the `next` script. */
  nodeArgs?: string[]
  /** Extra environment (e.g. `BENCH_PG_URL`: the app on Postgres with a revocation feed). */
  env?: Record<string, string>
}): Promise<NextApp> {
  const env = { ...appEnv(options.db, options.secret), ...options.env }
  const stale = PACKAGE_DIRS.filter(distIsStale)
  if (stale.length > 0) {
    options.log(`  tsdown: ${stale.map((d) => relative(ROOT, d)).join(', ')}`)
    for (const dir of stale)
      await runCommand(join(dir, 'node_modules', '.bin', 'tsdown'), [], { cwd: dir, spawn: spawnGroup })
  }
  let buildMs = 0
  const inputs = buildInputs()
  if (!existsSync(HASH_FILE) || readFileSync(HASH_FILE, 'utf8') !== inputs) {
    options.log('  next build (inputs changed)…')
    const started = Date.now()
    rmSync(HASH_FILE, { force: true })
    await runCommand(join(APP_DIR, 'node_modules', '.bin', 'next'), ['build'], { cwd: APP_DIR, env, spawn: spawnGroup })
    writeFileSync(HASH_FILE, inputs)
    buildMs = Date.now() - started
    options.log(`  next build in ${(buildMs / 1000).toFixed(1)} s`)
  }

  const server = await startNext({
    cwd: APP_DIR,
    env,
    ready: options.readyPath,
    accept: (response) => response.status === 200,
    timeoutMs: 30_000,
    nodeArgs: options.nodeArgs ?? [],
    spawn: spawnGroup,
  })
  return {
    origin: server.url,
    port: server.port,
    buildMs,
    pid: server.pid,
    logs: server.output,
    stop: server.stop,
  }
}
