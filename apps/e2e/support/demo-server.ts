import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { type Backend as Database, openBackend, startNext } from '@baton/test-kit'

export { freePort } from '@baton/test-kit'

export const DEMO_DIR = resolve(import.meta.dirname, '../../demo')

export type Backend = 'sqlite' | 'postgres'

/** A `next start` (or `next dev`) of the demo on 127.0.0.1 with its own database. */
export interface DemoServer {
  url: string
  backend: Backend
  /** Output of the server so far (for failure messages). */
  output(): string
  stop(): Promise<void>
}

/** The TTLs every scenario runs with: short enough to watch tokens expire. */
export const TTL = { access: 10, refresh: 600, grace: 2, /* Baton's default */ clockTolerance: 5 }

/**
 * Starts the demo; `port` (default: a free one) when its origin must be known before it starts (OIDC
 * mode); `dev`: under `next dev` instead of `next start` (the dev tools render only there).
 */
export async function startDemo(
  backend: Backend,
  extraEnv: Record<string, string> = {},
  { port, dev = false }: { port?: number; dev?: boolean } = {},
): Promise<DemoServer> {
  // `next dev` (the dev tools' scenario) compiles as it goes; `next start` needs the build.
  if (!dev && !existsSync(join(DEMO_DIR, '.next', 'BUILD_ID'))) {
    throw new Error('apps/demo is not built: run `npx --yes pnpm@10 turbo run build --filter=demo` first.')
  }
  // The demo's own folder (its development secret); the database is a SQLite file or a schema of its own.
  const dataDir = mkdtempSync(join(tmpdir(), 'baton-e2e-'))
  let database: Database | undefined
  const cleanUp = async () => {
    await database?.close().catch(() => undefined)
    rmSync(dataDir, { recursive: true, force: true })
  }
  try {
    database = await openBackend({ kind: backend === 'postgres' ? 'postgres' : 'sqlite', schemaPrefix: 'e2e' })
    const server = await startNext({
      cwd: DEMO_DIR,
      ...(port ? { port } : {}),
      dev,
      env: {
        BATON_DATA_DIR: dataDir,
        BATON_DATABASE_URL: database.url ?? '',
        BATON_ACCESS_TTL: String(TTL.access),
        BATON_REUSE_GRACE: String(TTL.grace),
        BATON_REFRESH_TTL: String(TTL.refresh),
        BATON_LOGIN_RATE_LIMIT: '1000',
        ...extraEnv,
      },
    })
    const stop = async () => {
      await server.stop()
      await cleanUp()
    }
    return { url: server.url, backend, output: server.output, stop }
  } catch (error) {
    await cleanUp()
    throw error
  }
}
