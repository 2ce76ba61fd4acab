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
import { createHash, randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { distIsStale, listFiles, runCommand, startNext } from '@baton/test-kit'

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
    ...listFiles(dir, (p) => /(^|\/)(node_modules|\.next(-[\w-]+)?|\.data)$|next-env\.d\.ts$/.test(p)),
    ...PACKAGE_DIRS.flatMap((pkg) => listFiles(join(pkg, 'dist'), (p) => p.endsWith('.map'))),
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

/** Builds the packages' `dist` where stale, one test run at a time; returns the ms spent. */
async function buildPackages(): Promise<number> {
  const release = await acquireLock(lockDir('packages'), 240_000)
  try {
    const started = Date.now()
    const stale = PACKAGE_DIRS.filter(distIsStale)
    await Promise.all(stale.map((dir) => runCommand(join(dir, 'node_modules', '.bin', 'tsdown'), [], { cwd: dir })))
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
      const printed = await runCommand(next, args, {
        cwd: fixtureDir,
        env: { ...env, FIXTURE_DB: join(dataDir, 'build.db') },
      })
      writeFileSync(buildLogFile(distDir), printed)
      writeFileSync(hashPath, inputs)
      timings.nextBuild = Date.now() - started
    }

    started = Date.now()
    // startNext stops the server itself when it does not come up.
    const server = await startNext({
      cwd: fixtureDir,
      env: { ...env, FIXTURE_DB: join(dataDir, 'fixture.db') },
      accept: (response) => response.status === 200,
      timeoutMs: 30_000,
    })
    timings.start = Date.now() - started
    return {
      origin: server.url,
      secret,
      timings,
      logs: server.output,
      buildLog: () => (existsSync(buildLogFile(distDir)) ? readFileSync(buildLogFile(distDir), 'utf8') : ''),
      async stop() {
        try {
          await server.stop()
        } finally {
          rmSync(dataDir, { recursive: true, force: true })
          release()
        }
      },
    }
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true })
    release()
    throw error
  }
}
