import { type ChildProcess, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import pg from 'pg'

export const DEMO_DIR = resolve(import.meta.dirname, '../../demo')
const nextBin = createRequire(join(DEMO_DIR, 'package.json')).resolve('next/dist/bin/next')

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

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

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
  if (backend === 'postgres') {
    const base = process.env.DATABASE_URL
    if (!base) throw new Error('the postgres project needs DATABASE_URL')
    const created = await postgresSchema(base)
    database = created.url
    dropSchema = created.drop
  }
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const env = {
    ...process.env,
    NODE_ENV: 'production',
    NEXT_TELEMETRY_DISABLED: '1',
    PORT: String(port),
    BATON_DATA_DIR: dataDir,
    BATON_DATABASE_URL: database,
    BATON_ACCESS_TTL: String(TTL.access),
    BATON_REFRESH_TTL: String(TTL.refresh),
    BATON_REUSE_GRACE: String(TTL.grace),
    BATON_LOGIN_RATE_LIMIT: '1000',
    ...extraEnv,
  }
  const child: ChildProcess = spawn(process.execPath, [nextBin, 'start', '-H', '127.0.0.1', '-p', String(port)], {
    cwd: DEMO_DIR,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout?.on('data', (chunk) => (output += chunk))
  child.stderr?.on('data', (chunk) => (output += chunk))
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const stop = async () => {
    child.kill('SIGTERM')
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))])
    child.kill('SIGKILL')
    await dropSchema().catch(() => undefined)
    rmSync(dataDir, { recursive: true, force: true })
  }
  try {
    await waitUntilUp(url, () => child.exitCode !== null, 60_000)
  } catch (error) {
    await stop()
    throw new Error(`${(error as Error).message}\n--- server output ---\n${output}`)
  }
  return { url, backend, output: () => output, stop }
}

async function waitUntilUp(url: string, exited: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (exited()) throw new Error('next start exited before it was ready')
    try {
      const response = await fetch(`${url}/login`)
      if (response.ok) return
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200))
  }
  throw new Error(`the demo did not answer at ${url} within ${timeoutMs} ms`)
}
