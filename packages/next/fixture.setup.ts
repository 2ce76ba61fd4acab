/**
 * Builds and runs a fixture app for the tests that need a real `next start`:
 * `fixture/` (Next 16, `src/fixture-app.test.ts`; with Cache Components, and
 * again without them as `CACHE_COMPONENTS_OFF`) or `fixture-next15/`
 * (Next 15, Edge middleware, `src/next15-fixture.test.ts`):
 * `tsdown` for @baton/core, @baton/drizzle and @baton/next (the app consumes
 * their `dist`, as a user would), `next build`, then `next start` on a free
 * port with its own SQLite file and secret. Builds are skipped when their
 * inputs have not changed; one lock keeps two test runs from building the
 * packages at once, and one per app from building into the same `.next`.
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
/** The Next 15 app: Edge `middleware.ts`, one shared config for it and the routes. */
export const NEXT15_FIXTURE_DIR = join(HERE, 'fixture-next15')
const PACKAGE_DIRS = [join(HERE, '..', 'core'), join(HERE, '..', 'drizzle'), HERE]
/** Kept with a build's output (its `distDir`): the hash of its inputs. */
const hashFile = (distDir: string): string => join(distDir, 'baton-fixture-inputs.sha256')
/** What the last `next build` of an app printed (kept with its output, for tests on build warnings). */
const buildLogFile = (distDir: string): string => join(distDir, 'baton-fixture-build.log')
const lockDir = (key: string): string =>
  join(tmpdir(), `baton-next-fixture-${createHash('sha256').update(key).digest('hex').slice(0, 12)}.lock`)

/**
 * One build of a fixture app: its environment at build and start (read by its
 * `next.config.ts`), and the `distDir` that sets, so builds do not overwrite
 * each other.
 */
export interface FixtureVariant {
  env?: Record<string, string>
  distDir?: string
}

/** `fixture/` with Cache Components off: its own build, in its own `distDir`. */
export const CACHE_COMPONENTS_OFF: FixtureVariant = {
  env: { BATON_FIXTURE_CACHE_COMPONENTS: '0', BATON_FIXTURE_DIST_DIR: '.next-cache-components-off' },
  distDir: '.next-cache-components-off',
}

/** A running `next start` of the fixture app. */
export interface FixtureServer {
  origin: string
  /** The server's `BATON_SECRET`, so a test can sign tokens the server accepts. */
  secret: string
  /** Everything the server printed so far. */
  logs(): string
  /** What `next build` printed (the last build, when this run found it up to date). */
  buildLog(): string
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

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
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
      if (code === 0) resolve(output)
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

/**
 * `next build` flags: on Next 16, Turbopack (its default) or webpack with
 * `BATON_FIXTURE_WEBPACK=1`; on Next 15, its default (webpack; no `--webpack` flag there).
 */
function buildArgs(dir: string): string[] {
  const { version } = JSON.parse(readFileSync(join(dir, 'node_modules', 'next', 'package.json'), 'utf8'))
  if (String(version).startsWith('15.')) return ['build']
  return process.env.BATON_FIXTURE_WEBPACK === '1' ? ['build', '--webpack'] : ['build']
}

/** Hash of everything `next build` reads: the app's files, the packages' `dist`, the flags and the variant's env. */
function nextBuildInputs(dir: string, args: string[], env: Record<string, string>): string {
  const hash = createHash('sha256').update(args.join(' ')).update('\0').update(JSON.stringify(env)).update('\0')
  const files = [
    ...walk(dir, (p) => /(^|\/)(node_modules|\.next(-[\w-]+)?|\.data)$|next-env\.d\.ts$/.test(p)),
    ...PACKAGE_DIRS.flatMap((pkg) => walk(join(pkg, 'dist'), (p) => p.endsWith('.map'))),
    join(dir, 'node_modules', 'next', 'package.json'),
  ].sort()
  for (const file of files) hash.update(relative(HERE, file)).update('\0').update(readFileSync(file)).update('\0')
  return hash.digest('hex')
}

/** Serialises fixture runs across processes; a lock whose owner died is taken over. */
async function acquireLock(path: string, timeoutMs: number): Promise<() => void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    try {
      mkdirSync(path)
      writeFileSync(join(path, 'pid'), String(process.pid))
      return () => rmSync(path, { recursive: true, force: true })
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    }
    let stale = false
    try {
      const pid = Number(readFileSync(join(path, 'pid'), 'utf8'))
      try {
        process.kill(pid, 0)
      } catch (error) {
        stale = (error as NodeJS.ErrnoException).code === 'ESRCH'
      }
    } catch {
      // No pid yet: stale only if the directory is old (its owner died between mkdir and write).
      stale = existsSync(path) && Date.now() - statSync(path).mtimeMs > 10_000
    }
    if (stale) rmSync(path, { recursive: true, force: true })
    else if (Date.now() > deadline) throw new Error(`Timed out waiting for ${path}`)
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

/** Builds the packages' `dist` where stale, one test run at a time; returns the ms spent. */
async function buildPackages(): Promise<number> {
  const release = await acquireLock(lockDir('packages'), 240_000)
  try {
    const started = Date.now()
    const stale = PACKAGE_DIRS.filter(distIsStale)
    await Promise.all(stale.map((dir) => run(join(dir, 'node_modules', '.bin', 'tsdown'), [], dir)))
    return stale.length > 0 ? Date.now() - started : 0
  } finally {
    release()
  }
}

/** Builds what is stale, starts `next start` of the app in `fixtureDir` (as `variant`), and resolves once it answers. */
export async function startFixtureServer(
  fixtureDir: string = FIXTURE_DIR,
  variant: FixtureVariant = {},
): Promise<FixtureServer> {
  const distDir = join(fixtureDir, variant.distDir ?? '.next')
  const hashPath = hashFile(distDir)
  const release = await acquireLock(lockDir(distDir), 240_000)
  const dataDir = mkdtempSync(join(tmpdir(), 'baton-next-fixture-'))
  let child: ChildProcess | undefined
  try {
    const timings = { packages: await buildPackages(), nextBuild: 0, start: 0 }
    let started = Date.now()

    const secret = randomBytes(32).toString('base64url')
    const env = {
      ...process.env,
      ...variant.env,
      NODE_ENV: 'production',
      NEXT_TELEMETRY_DISABLED: '1',
      BATON_SECRET: secret,
    }
    const args = buildArgs(fixtureDir)
    const inputs = nextBuildInputs(fixtureDir, args, variant.env ?? {})
    const built = existsSync(hashPath) && existsSync(buildLogFile(distDir))
    if (!built || readFileSync(hashPath, 'utf8') !== inputs) {
      started = Date.now()
      rmSync(hashPath, { force: true })
      const next = join(fixtureDir, 'node_modules', '.bin', 'next')
      const printed = await run(next, args, fixtureDir, { ...env, FIXTURE_DB: join(dataDir, 'build.db') })
      writeFileSync(buildLogFile(distDir), printed)
      writeFileSync(hashPath, inputs)
      timings.nextBuild = Date.now() - started
    }

    started = Date.now()
    const port = await freePort()
    const origin = `http://127.0.0.1:${port}`
    let output = ''
    child = spawn(
      process.execPath,
      [join(fixtureDir, 'node_modules', 'next', 'dist', 'bin', 'next'), 'start', '-H', '127.0.0.1', '-p', String(port)],
      {
        cwd: fixtureDir,
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
      buildLog: () => (existsSync(buildLogFile(distDir)) ? readFileSync(buildLogFile(distDir), 'utf8') : ''),
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
