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
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { spawnGroup, stopGroup } from './processes.js'

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

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

function walk(dir: string, skip: (path: string) => boolean, out: string[] = []): string[] {
  if (!existsSync(dir)) return out
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (skip(path)) continue
    if (entry.isDirectory()) walk(path, skip, out)
    else if (entry.isFile()) out.push(path)
  }
  return out
}

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawnGroup(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout?.on('data', (chunk) => {
      output += chunk
    })
    child.stderr?.on('data', (chunk) => {
      output += chunk
    })
    child.on('error', reject)
    child.on('exit', (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} failed (${signal ?? code}):\n${output}`)),
    )
  })
}

/** A package's `dist` is stale when a build input is newer than the oldest file in it. */
function distIsStale(dir: string): boolean {
  const dist = walk(join(dir, 'dist'), () => false)
  if (dist.length === 0) return true
  const built = Math.min(...dist.map((f) => statSync(f).mtimeMs))
  const inputs = [
    ...walk(join(dir, 'src'), (p) => /\.(test|test-d|fixture)\.ts$/.test(p)),
    ...['package.json', 'tsdown.config.ts', 'tsconfig.json'].map((f) => join(dir, f)).filter((f) => existsSync(f)),
  ]
  return inputs.some((f) => statSync(f).mtimeMs > built)
}

function buildInputs(): string {
  const hash = createHash('sha256')
  const files = [
    ...walk(APP_DIR, (p) => /(^|\/)(node_modules|\.next|\.data)$|next-env\.d\.ts$/.test(p)),
    ...PACKAGE_DIRS.flatMap((dir) => walk(join(dir, 'dist'), (p) => p.endsWith('.map'))),
    join(APP_DIR, 'node_modules', 'next', 'package.json'),
  ].sort()
  for (const file of files) hash.update(relative(ROOT, file)).update('\0').update(readFileSync(file)).update('\0')
  return hash.digest('hex')
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.unref()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      )
    })
  })
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
}): Promise<NextApp> {
  const env = appEnv(options.db, options.secret)
  const stale = PACKAGE_DIRS.filter(distIsStale)
  if (stale.length > 0) {
    options.log(`  tsdown: ${stale.map((d) => relative(ROOT, d)).join(', ')}`)
    for (const dir of stale) await run(join(dir, 'node_modules', '.bin', 'tsdown'), [], dir, process.env)
  }
  let buildMs = 0
  const inputs = buildInputs()
  if (!existsSync(HASH_FILE) || readFileSync(HASH_FILE, 'utf8') !== inputs) {
    options.log('  next build (inputs changed)…')
    const started = Date.now()
    rmSync(HASH_FILE, { force: true })
    await run(join(APP_DIR, 'node_modules', '.bin', 'next'), ['build'], APP_DIR, env)
    writeFileSync(HASH_FILE, inputs)
    buildMs = Date.now() - started
    options.log(`  next build in ${(buildMs / 1000).toFixed(1)} s`)
  }

  const port = await freePort()
  const origin = `http://127.0.0.1:${port}`
  let output = ''
  const child = spawnGroup(
    process.execPath,
    [
      ...(options.nodeArgs ?? []),
      join(APP_DIR, 'node_modules', 'next', 'dist', 'bin', 'next'),
      'start',
      '-H',
      '127.0.0.1',
      '-p',
      String(port),
    ],
    { cwd: APP_DIR, env, stdio: ['ignore', 'pipe', 'pipe'] },
  )
  child.stdout?.on('data', (chunk) => {
    output += chunk
  })
  child.stderr?.on('data', (chunk) => {
    output += chunk
  })
  const started = Date.now()
  try {
    for (let ready = false; !ready; ) {
      if (child.exitCode !== null) throw new Error(`next start exited with ${child.exitCode}:\n${output}`)
      if (Date.now() - started > 30_000) throw new Error(`next start did not answer within 30 s:\n${output}`)
      ready = await fetch(`${origin}${options.readyPath}`, { redirect: 'manual' })
        .then((r) => r.status === 200)
        .catch(() => false)
      if (!ready) await sleep(100)
    }
  } catch (error) {
    await stopGroup(child)
    throw error
  }
  return { origin, port, buildMs, pid: child.pid as number, logs: () => output, stop: () => stopGroup(child) }
}
