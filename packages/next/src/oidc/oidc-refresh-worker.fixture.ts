// One app process for oidc-processes.test.ts: opens the shared store (a SQLite file, or a schema
// on a Postgres server), creates its own Baton instance with the test secret and the same `oidc`
// options as the test process, and on "go" fires `count` concurrent
// `upstream.getAccessToken({ sessionId })` at the shared start time, reporting what it got and how
// many refresh_token grants it sent itself. Driven over IPC; stays up for several rounds.
import { createRequire } from 'node:module'
import { pathToFileURL } from 'node:url'
import type { SessionStore } from '@baton/core'
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
async function openStore(): Promise<{ store: SessionStore; close(): Promise<void> }> {
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

const opened = await openStore()
const { close } = opened
let delayMs = 0
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
let grants = 0
const seen = { reads: 0, writes: 0, lost: 0 }
// Counts what the lease costs this process: reads of the session, writes, and writes that lost the
// compare-and-set on dataVersion (another process wrote first).
const store = new Proxy<SessionStore>(opened.store, {
  get(target, key, receiver) {
    const value = Reflect.get(target, key, receiver)
    if (key === 'getSession')
      return (...args: Parameters<SessionStore['getSession']>) => {
        seen.reads++
        return target.getSession(...args)
      }
    if (key === 'updateSessionData')
      return async (...args: Parameters<SessionStore['updateSessionData']>) => {
        seen.writes++
        const version = await target.updateSessionData(...args)
        if (version === null) seen.lost++
        return version
      }
    return typeof value === 'function' ? value.bind(target) : value
  },
})
const baton = createBaton({
  store,
  secret: SECRET,
  cookies: { secure: false },
  oidc: {
    ...oidcOptions(OIDC_ISSUER),
    // Counts this process's own refresh_token grants (the provider counts everyone's).
    fetch: async (input, init) => {
      if (!String(init?.body ?? '').includes('grant_type=refresh_token')) return fetch(input, init)
      grants++
      // A slow provider (`refreshDelayMs` of the round): the other process surely meets the held lease.
      const res = await fetch(input, init)
      await sleep(delayMs)
      return res
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
  const base = { ...seen }
  delayMs = command.refreshDelayMs
  await sleep(command.startAt - Date.now())
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
    store: { reads: seen.reads - base.reads, writes: seen.writes - base.writes, lost: seen.lost - base.lost },
    lateMs: started - command.startAt,
    ms: Date.now() - started,
  })
})
send({ type: 'ready', pid: process.pid })
