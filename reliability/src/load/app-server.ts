import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createServer } from 'node:net'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..')

/** The Next.js app under load: the demo, or @baton/next's fixture app until the demo exists. */
export interface AppTarget {
  name: 'demo' | 'next-fixture'
  dir: string
  /** Env naming the database: the demo reads BATON_DATABASE_URL, the fixture FIXTURE_DB (SQLite only). */
  databaseEnv(url: string): Record<string, string>
  supportsPostgres: boolean
  email: string
  password: string
  /** Login attempts per minute the app is started with: per (IP, account), or per account when no IP is trusted. */
  loginLimit: number
}

export function appTarget(): AppTarget {
  const demo = join(REPO, 'apps', 'demo')
  if (existsSync(join(demo, 'package.json'))) {
    return {
      name: 'demo',
      dir: demo,
      databaseEnv: (url) => ({ BATON_DATABASE_URL: url, BATON_LOGIN_RATE_LIMIT: '5' }),
      supportsPostgres: true,
      email: 'demo@baton.dev',
      password: 'correct-horse-battery-staple',
      loginLimit: 5,
    }
  }
  return {
    name: 'next-fixture',
    dir: join(REPO, 'packages', 'next', 'fixture'),
    databaseEnv: (url) => ({ FIXTURE_DB: url }),
    supportsPostgres: false,
    email: 'ada@example.com',
    password: 'correct-horse-battery-staple',
    loginLimit: 5,
  }
}

/**
 * `turbo run build --filter=<app>...` (the packages, then `next build`; turbo
 * replays what is cached). RELIABILITY_SKIP_BUILD=1 uses the app's `.next` as is.
 */
export function buildApp(target: AppTarget): void {
  if (process.env.RELIABILITY_SKIP_BUILD === '1' && existsSync(join(target.dir, '.next', 'BUILD_ID'))) return
  const turbo = join(REPO, 'node_modules', '.bin', 'turbo')
  const result = spawnSync(turbo, ['run', 'build', `--filter=${target.name}...`, '--output-logs=errors-only'], {
    cwd: REPO,
    env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1', NEXT_TELEMETRY_DISABLED: '1' },
    encoding: 'utf8',
  })
  if (result.status !== 0) throw new Error(`building ${target.name} failed:\n${result.stdout}\n${result.stderr}`)
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      )
    })
  })
}

/** A running `next start -H 127.0.0.1`. */
export interface AppServer {
  origin: string
  logs(): string
  stop(): Promise<void>
}

/** Starts `next start -H 127.0.0.1 -p <free port>` in the app's directory; resolves once /login answers. */
export async function startApp(target: AppTarget, env: Record<string, string>): Promise<AppServer> {
  const port = await freePort()
  const origin = `http://127.0.0.1:${port}`
  const next = join(target.dir, 'node_modules', 'next', 'dist', 'bin', 'next')
  const child: ChildProcess = spawn(process.execPath, [next, 'start', '-H', '127.0.0.1', '-p', String(port)], {
    cwd: target.dir,
    env: { ...process.env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1', PORT: String(port), ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout?.on('data', (chunk) => {
    output += chunk
  })
  child.stderr?.on('data', (chunk) => {
    output += chunk
  })
  const stop = () => stopGroup(child)
  const started = Date.now()
  for (;;) {
    if (child.exitCode !== null) throw new Error(`next start exited with ${child.exitCode}:\n${output}`)
    const ok = await fetch(`${origin}/login`, { redirect: 'manual' })
      .then((r) => r.status < 500)
      .catch(() => false)
    if (ok) break
    if (Date.now() - started > 60_000) {
      await stop()
      throw new Error(`next start did not answer within 60 s:\n${output}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 150))
  }
  return { origin, logs: () => output, stop }
}

/** SIGTERM to the process group, SIGKILL after 5 s; resolves when the server is gone. */
function stopGroup(child: ChildProcess): Promise<void> {
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
      kill('SIGKILL')
      resolve()
    })
    kill('SIGTERM')
  })
}
