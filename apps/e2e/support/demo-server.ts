import { randomBytes } from 'node:crypto'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { startNext } from '@baton/test-kit'
import pg from 'pg'

export { freePort } from '@baton/test-kit'

export const DEMO_DIR = resolve(import.meta.dirname, '../../demo')

export type Backend = 'sqlite' | 'postgres'

/** A `next start` of the demo on 127.0.0.1 with its own database. */
export interface DemoServer {
  url: string
  backend: Backend
  /** Output of the server so far (for failure messages). */
  output(): string
  stop(): Promise<void>
}

/** The TTLs every scenario runs with: short enough to watch tokens expire. */
export const TTL = { access: 10, refresh: 600, grace: 2, /* Baton's default */ clockTolerance: 5 }

/** A fresh schema on the Postgres server, dropped by the returned function. */
async function postgresSchema(base: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const schema = `e2e_${process.pid}_${randomBytes(4).toString('hex')}`
  const client = new pg.Client({ connectionString: base })
  await client.connect()
  await client.query(`CREATE SCHEMA ${schema}`)
  await client.end()
  const url = new URL(base)
  url.searchParams.set('options', `-c search_path=${schema}`)
  return {
    url: url.href,
    drop: async () => {
      const dropper = new pg.Client({ connectionString: base })
      await dropper.connect()
      await dropper.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
      await dropper.end()
    },
  }
}

export async function startDemo(backend: Backend, extraEnv: Record<string, string> = {}): Promise<DemoServer> {
  if (!existsSync(join(DEMO_DIR, '.next', 'BUILD_ID'))) {
    throw new Error('apps/demo is not built: run `npx --yes pnpm@10 turbo run build --filter=demo` first.')
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'baton-e2e-'))
  let database = join(dataDir, 'baton.db')
  let dropSchema = async () => {}
  const cleanUp = async () => {
    await dropSchema().catch(() => undefined)
    rmSync(dataDir, { recursive: true, force: true })
  }
  try {
    if (backend === 'postgres') {
      const base = process.env.DATABASE_URL
      if (!base) throw new Error('the postgres project needs DATABASE_URL')
      const created = await postgresSchema(base)
      database = created.url
      dropSchema = created.drop
    }
    const server = await startNext({
      cwd: DEMO_DIR,
      env: {
        BATON_DATA_DIR: dataDir,
        BATON_DATABASE_URL: database,
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
