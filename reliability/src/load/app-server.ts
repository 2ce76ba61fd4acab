import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startNext } from '@baton/test-kit'

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

/** A running `next start -H 127.0.0.1`. */
export interface AppServer {
  origin: string
  logs(): string
  stop(): Promise<void>
}

/** Starts `next start -H 127.0.0.1 -p <free port>` in the app's directory; resolves once /login answers. */
export async function startApp(target: AppTarget, env: Record<string, string>): Promise<AppServer> {
  const server = await startNext({ cwd: target.dir, env, accept: (response) => response.status < 500 })
  return { origin: server.url, logs: server.output, stop: server.stop }
}
