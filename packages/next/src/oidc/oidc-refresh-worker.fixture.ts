// One app process for oidc-processes.test.ts: opens the shared store (a SQLite file, or a schema
// on a Postgres server), creates its own Baton instance with the test secret and the same `oidc`
// options as the test process, and on "go" fires `count` concurrent
// `upstream.getAccessToken({ sessionId })` at the shared start time, reporting what it got and how
// many refresh_token grants it sent itself. Driven over IPC; stays up for several rounds.
import { createRequire } from 'node:module'
import { pathToFileURL } from 'node:url'
import { PgSessionStore } from '@baton/drizzle/pg'
import { openSqliteDatabase, SqliteSessionStore } from '@baton/drizzle/sqlite'
import { createBaton } from '../create-baton.js'
import { request, SECRET } from '../test-app.fixture.js'
import { oidcOptions, type WorkerCommand, type WorkerReport } from './oidc-processes.fixture.js'

const env = (name: string): string => {
  const value = process.env[name]
  if (!value) throw new Error(`oidc-refresh-worker: ${name} is not set`)
  return value
}
const [OIDC_BACKEND, OIDC_DB, OIDC_ISSUER] = [env('OIDC_BACKEND'), env('OIDC_DB'), env('OIDC_ISSUER')]
const send = (report: WorkerReport): void => {
  process.send?.(report)
}

type PgPool = { end(): Promise<void> }
type PgModule = { default: { Pool: new (options: { connectionString: string; max: number }) => PgPool } }
type DrizzlePg = { drizzle(options: { client: PgPool }): ConstructorParameters<typeof PgSessionStore>[0] }

/** The store on the shared database, and how to close it. */
async function openStore(): Promise<{ store: SqliteSessionStore | PgSessionStore; close(): Promise<void> }> {
  if (OIDC_BACKEND === 'sqlite') {
    const db = openSqliteDatabase(OIDC_DB)
    return { store: new SqliteSessionStore(db), close: async () => void db.$client.close() }
  }
  // @baton/next does not depend on pg: load the driver test-kit opened the schema with.
  const from = createRequire(import.meta.resolve('@baton/test-kit'))
  const load = (name: string): Promise<unknown> => import(pathToFileURL(from.resolve(name)).href)
  const pg = (await load('pg')) as PgModule
  const { drizzle } = (await load('drizzle-orm/node-postgres')) as DrizzlePg
  const pool = new pg.default.Pool({ connectionString: OIDC_DB, max: 4 })
  return { store: new PgSessionStore(drizzle({ client: pool })), close: () => pool.end() }
}

const { store, close } = await openStore()
let grants = 0
const baton = createBaton({
  store,
  secret: SECRET,
  cookies: { secure: false },
  oidc: {
    ...oidcOptions(OIDC_ISSUER),
    // Counts this process's own refresh_token grants (the provider counts everyone's).
    fetch: async (input, init) => {
      if (String(init?.body ?? '').includes('grant_type=refresh_token')) grants++
      return fetch(input, init)
    },
  },
})

// Warm up: discovery and the client, so that both processes reach the lease at the same moment.
const warm = await baton.handlers.GET(request('/api/auth/signin/oidc?returnTo=/'))
if (warm.status !== 302) throw new Error(`warm-up sign-in answered ${warm.status}`)

process.on('message', async (command: WorkerCommand) => {
  if (command.type === 'close') {
    await close()
    process.disconnect?.()
    return
  }
  const before = grants
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, command.startAt - Date.now())))
  const started = Date.now()
  const results = await Promise.allSettled(
    Array.from({ length: command.count }, () => baton.upstream.getAccessToken({ sessionId: command.sessionId })),
  )
  send({
    type: 'done',
    pid: process.pid,
    tokens: results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : [])),
    errors: results.flatMap((r) => (r.status === 'rejected' ? [String(r.reason)] : [])),
    grants: grants - before,
    lateMs: started - command.startAt,
    ms: Date.now() - started,
  })
})
send({ type: 'ready', pid: process.pid })
