/**
 * Builds and runs the fixture app (`fixture/`) for `src/fixture-app.test.ts`:
 * `tsdown` for @baton/core, @baton/drizzle and @baton/next (the app consumes
 * their `dist`, as a user would), `next build`, then `next start` on a free
 * port with its own SQLite file and secret. Builds are skipped when their
 * inputs have not changed, and a lock keeps two test runs from building into
 * the same `.next` at once.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

const HERE = dirname(fileURLToPath(import.meta.url))
export const FIXTURE_DIR = join(HERE, 'fixture')
const PACKAGE_DIRS = [join(HERE, '..', 'core'), join(HERE, '..', 'drizzle'), HERE]
const HASH_FILE = join(FIXTURE_DIR, '.next', 'baton-fixture-inputs.sha256')
const LOCK_DIR = join(
  tmpdir(),
  `baton-next-fixture-${createHash('sha256').update(FIXTURE_DIR).digest('hex').slice(0, 12)}.lock`,
)

/** A running `next start` of the fixture app. */
export interface FixtureServer {
  origin: string
  /** The server's `BATON_SECRET`, so a test can sign tokens the server accepts. */
  secret: string
  /** Everything the server printed so far. */
  logs(): string
  /** ms spent on tsdown, next build and next start (0 when a build was up to date). */
  timings: { packages: number; nextBuild: number; start: number }
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

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (chunk) => {
      output += chunk
    })
    child.stderr.on('data', (chunk) => {
      output += chunk
    })
    child.on('error', reject)
    child.on('exit', (code, signal) => {
      if (code === 0) resolve()
      else reject(new Error(`${command} ${args.join(' ')} in ${cwd} failed (${signal ?? code}):\n${output}`))
    })
  })
}

/** A package's `dist` is stale when any build input is newer than the oldest file in it. */
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

/** `next build` flags: Turbopack (the Next 16 default), or webpack with `BATON_FIXTURE_WEBPACK=1`. */
const BUILD_ARGS = process.env.BATON_FIXTURE_WEBPACK === '1' ? ['build', '--webpack'] : ['build']

/** Hash of everything `next build` reads: the app's files, the packages' `dist` and the flags. */
function nextBuildInputs(): string {
  const hash = createHash('sha256').update(BUILD_ARGS.join(' ')).update('\0')
  const files = [
    ...walk(FIXTURE_DIR, (p) => /(^|\/)(node_modules|\.next|\.data)$|next-env\.d\.ts$/.test(p)),
    ...PACKAGE_DIRS.flatMap((dir) => walk(join(dir, 'dist'), (p) => p.endsWith('.map'))),
    join(FIXTURE_DIR, 'node_modules', 'next', 'package.json'),
  ].sort()
  for (const file of files) hash.update(relative(HERE, file)).update('\0').update(readFileSync(file)).update('\0')
  return hash.digest('hex')
}

/** Serialises fixture runs across processes; a lock whose owner died is taken over. */
async function acquireLock(timeoutMs: number): Promise<() => void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    try {
      mkdirSync(LOCK_DIR)
      writeFileSync(join(LOCK_DIR, 'pid'), String(process.pid))
      return () => rmSync(LOCK_DIR, { recursive: true, force: true })
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    }
    let stale = false
    try {
      const pid = Number(readFileSync(join(LOCK_DIR, 'pid'), 'utf8'))
      try {
        process.kill(pid, 0)
      } catch (error) {
        stale = (error as NodeJS.ErrnoException).code === 'ESRCH'
      }
    } catch {
      // No pid yet: stale only if the directory is old (its owner died between mkdir and write).
      stale = existsSync(LOCK_DIR) && Date.now() - statSync(LOCK_DIR).mtimeMs > 10_000
    }
    if (stale) rmSync(LOCK_DIR, { recursive: true, force: true })
    else if (Date.now() > deadline) throw new Error(`Timed out waiting for ${LOCK_DIR}`)
    else await sleep(250)
  }
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

function stopProcessGroup(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return resolve()
    const pid = child.pid
    const kill = (signal: NodeJS.Signals) => {
      try {
        process.kill(-pid, signal)
      } catch {
        // already gone
      }
    }
    const timer = setTimeout(() => kill('SIGKILL'), 5_000)
    child.once('exit', () => {
      clearTimeout(timer)
      // `next start` may leave a worker in the group: make sure nothing outlives the test.
      kill('SIGKILL')
      resolve()
    })
    kill('SIGTERM')
  })
}

/** Builds what is stale, starts `next start`, and resolves once the app answers. */
export async function startFixtureServer(): Promise<FixtureServer> {
  const release = await acquireLock(240_000)
  const dataDir = mkdtempSync(join(tmpdir(), 'baton-next-fixture-'))
  let child: ChildProcess | undefined
  try {
    const timings = { packages: 0, nextBuild: 0, start: 0 }
    let started = Date.now()
    const stale = PACKAGE_DIRS.filter(distIsStale)
    await Promise.all(stale.map((dir) => run(join(dir, 'node_modules', '.bin', 'tsdown'), [], dir)))
    if (stale.length > 0) timings.packages = Date.now() - started

    const secret = randomBytes(32).toString('base64url')
    const env = { ...process.env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1', BATON_SECRET: secret }
    const inputs = nextBuildInputs()
    if (!existsSync(HASH_FILE) || readFileSync(HASH_FILE, 'utf8') !== inputs) {
      started = Date.now()
      rmSync(HASH_FILE, { force: true })
      const next = join(FIXTURE_DIR, 'node_modules', '.bin', 'next')
      await run(next, BUILD_ARGS, FIXTURE_DIR, { ...env, FIXTURE_DB: join(dataDir, 'build.db') })
      writeFileSync(HASH_FILE, inputs)
      timings.nextBuild = Date.now() - started
    }

    started = Date.now()
    const port = await freePort()
    const origin = `http://127.0.0.1:${port}`
    let output = ''
    child = spawn(
      process.execPath,
      [
        join(FIXTURE_DIR, 'node_modules', 'next', 'dist', 'bin', 'next'),
        'start',
        '-H',
        '127.0.0.1',
        '-p',
        String(port),
      ],
      {
        cwd: FIXTURE_DIR,
        env: { ...env, FIXTURE_DB: join(dataDir, 'fixture.db') },
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    )
    child.stdout?.on('data', (chunk) => {
      output += chunk
    })
    child.stderr?.on('data', (chunk) => {
      output += chunk
    })
    const server = child
    for (let ready = false; !ready; ) {
      if (server.exitCode !== null) throw new Error(`next start exited with ${server.exitCode}:\n${output}`)
      if (Date.now() - started > 30_000) throw new Error(`next start did not answer within 30 s:\n${output}`)
      ready = await fetch(`${origin}/login`, { redirect: 'manual' })
        .then((r) => r.status === 200)
        .catch(() => false)
      if (!ready) await sleep(100)
    }
    timings.start = Date.now() - started
    return {
      origin,
      secret,
      timings,
      logs: () => output,
      async stop() {
        try {
          await stopProcessGroup(server)
        } finally {
          rmSync(dataDir, { recursive: true, force: true })
          release()
        }
      },
    }
  } catch (error) {
    if (child) await stopProcessGroup(child)
    rmSync(dataDir, { recursive: true, force: true })
    release()
    throw error
  }
}
