/**
 * Child process of cross-process-race.test.ts (and of the SQLite half of
 * migrate.test.ts). Run with `node --conditions=@baton/source --import tsx`.
 * It talks to the parent over IPC only: it never decides an outcome, it
 * reports what the engine answered.
 *
 * parent → child
 *   { type: 'init', secret, issuer, backend: 'sqlite', file } | { …, backend: 'pg', url, schema }
 *   { type: 'refresh', round, token, grace, startAt }   refresh `token` at `startAt` (ms, wall clock)
 *   { type: 'migrate', round, file, startAt, openAtStart }  open a SQLite file, migrate() it at `startAt`
 *   { type: 'open', round, file, startAt }              open a SQLite file at `startAt`, report its journal mode
 *   { type: 'close' }
 * child → parent
 *   { type: 'started' }                                 once, when the module has loaded
 *   { type: 'ready' }                                   after init and a warm-up
 *   { type: 'refreshed', round, code, refreshToken?, detail?, rotations }
 *   { type: 'migrated', round, applied?, error? }
 *   { type: 'opened', round, journalMode?, error? }
 */
import { createSessionEngine, isBatonError, type SessionEngine, type SessionStore } from '@baton/core'
import { drizzle } from 'drizzle-orm/node-postgres'
import pg from 'pg'
import { PgSessionStore } from './pg/pg-store.js'
import { migrate as migrateSqlite } from './sqlite/migrate.js'
import { openSqliteDatabase } from './sqlite/open-database.js'
import { SqliteSessionStore } from './sqlite/sqlite-store.js'

/** The database a worker opens: a SQLite file, or a schema on a Postgres server (own pg.Pool). */
export type WorkerBackend = { backend: 'sqlite'; file: string } | { backend: 'pg'; url: string; schema: string }
/** Same secret and issuer in every process, so every engine derives the same successors. */
export type WorkerInit = { type: 'init'; secret: string; issuer: string } & WorkerBackend
export type WorkerCommand =
  | WorkerInit
  | { type: 'refresh'; round: number; token: string; grace: number; startAt: number }
  | { type: 'migrate'; round: number; file: string; startAt: number; openAtStart: boolean }
  | { type: 'open'; round: number; file: string; startAt: number }
  | { type: 'close' }
export type WorkerReport =
  | { type: 'started' }
  | { type: 'ready' }
  | { type: 'refreshed'; round: number; code: string; refreshToken?: string; detail?: string; rotations: string[] }
  | { type: 'migrated'; round: number; applied?: string[]; error?: string }
  | { type: 'opened'; round: number; journalMode?: string; error?: string }

/** Waits until the wall clock reaches `startAt`: a timer for the bulk, a spin for the last ms. */
async function waitUntil(startAt: number): Promise<void> {
  const wait = startAt - Date.now() - 2
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait))
  while (Date.now() < startAt) {
    // spin: every process leaves at the same millisecond tick
  }
}

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error)
  const cause = error.cause instanceof Error ? ` (cause: ${error.cause.message})` : ''
  return `${error.name}: ${error.message}${cause}`
}

function send(report: WorkerReport): void {
  process.send?.(report)
}

// Only when started as a worker (the test's vitest process must not run this on import).
if (process.env.BATON_RACE_WORKER === '1' && process.send) {
  let store: SessionStore | undefined
  let close: () => Promise<void> = async () => {}
  const engines = new Map<number, SessionEngine>()
  // What the store's compare-and-set answered in this process, per refresh.
  let rotations: string[] = []

  let identity = { secret: '', issuer: '' }

  const engineFor = (grace: number): SessionEngine => {
    let engine = engines.get(grace)
    if (!engine) {
      if (!store) throw new Error('worker not initialised')
      engine = createSessionEngine({ store, ...identity, reuseGrace: grace })
      engines.set(grace, engine)
    }
    return engine
  }

  const spy = (inner: SessionStore): SessionStore =>
    new Proxy(inner, {
      get(target, name) {
        if (name === 'rotateRefreshToken') {
          return async (input: Parameters<SessionStore['rotateRefreshToken']>[0]) => {
            try {
              const result = await target.rotateRefreshToken(input)
              rotations.push(result.status)
              return result
            } catch (error) {
              rotations.push(`threw: ${describeError(error)}`)
              throw error
            }
          }
        }
        const value = Reflect.get(target, name, target)
        return typeof value === 'function' ? value.bind(target) : value
      },
    })

  const handle = async (message: WorkerCommand): Promise<void> => {
    switch (message.type) {
      case 'init': {
        identity = { secret: message.secret, issuer: message.issuer }
        if (message.backend === 'sqlite') {
          const db = openSqliteDatabase(message.file)
          store = spy(new SqliteSessionStore(db))
          close = async () => {
            db.$client.close()
          }
        } else {
          const pool = new pg.Pool({
            connectionString: message.url,
            max: 2,
            options: `-c search_path=${message.schema}`,
          })
          store = spy(new PgSessionStore(drizzle({ client: pool })))
          close = () => pool.end()
        }
        // Warm up (key derivation, JIT, connections) on a session of our own.
        for (const grace of [10, 0]) {
          const engine = engineFor(grace)
          const first = await engine.signIn({ subject: `warm-up-${process.pid}` })
          await engine.refresh({ refreshToken: first.refreshToken })
        }
        send({ type: 'ready' })
        return
      }
      case 'refresh': {
        const engine = engineFor(message.grace)
        rotations = []
        await waitUntil(message.startAt)
        try {
          const issued = await engine.refresh({ refreshToken: message.token })
          send({ type: 'refreshed', round: message.round, code: 'ok', refreshToken: issued.refreshToken, rotations })
        } catch (error) {
          const code = isBatonError(error) ? error.code : 'unexpected'
          send({ type: 'refreshed', round: message.round, code, detail: describeError(error), rotations })
        }
        return
      }
      case 'migrate': {
        // Either every process opens (and so creates) the file at the start
        // signal, as app instances starting together do, or each opens it
        // first so that at the signal every process is inside migrate() at once.
        let db: ReturnType<typeof openSqliteDatabase> | undefined
        try {
          if (message.openAtStart) await waitUntil(message.startAt)
          db = openSqliteDatabase(message.file)
          await waitUntil(message.startAt)
          send({ type: 'migrated', round: message.round, applied: migrateSqlite(db) })
        } catch (error) {
          send({ type: 'migrated', round: message.round, error: describeError(error) })
        } finally {
          db?.$client.close()
        }
        return
      }
      case 'open': {
        await waitUntil(message.startAt)
        try {
          const db = openSqliteDatabase(message.file)
          const journalMode = String(db.$client.pragma('journal_mode', { simple: true }))
          db.$client.close()
          send({ type: 'opened', round: message.round, journalMode })
        } catch (error) {
          send({ type: 'opened', round: message.round, error: describeError(error) })
        }
        return
      }
      case 'close':
        await close()
        process.disconnect()
        return
    }
  }

  process.on('message', (message: WorkerCommand) => {
    handle(message).catch((error) => {
      console.error(error)
      process.exit(1)
    })
  })
  send({ type: 'started' })
}
