/**
 * Issue 14 §3 on Postgres (PGlite): a store created at import time runs no
 * query until its first call, migrates once however many first calls race,
 * and retries a migration that failed.
 */
import { ConfigError, StoreUnavailableError } from '@baton/core'
import { PGlite } from '@electric-sql/pglite'
import { drizzle } from 'drizzle-orm/pglite'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { createPgStore } from './create-pg-store.js'
import { migrate } from './migrate.js'

vi.mock('./migrate.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('./migrate.js')>()
  return { ...actual, migrate: vi.fn(actual.migrate) }
})

let client: PGlite
let db: ReturnType<typeof drizzle>

const hasTable = async (name: string): Promise<boolean> =>
  (await client.query<{ t: string | null }>('SELECT to_regclass($1)::text AS t', [name])).rows[0]?.t === name

// One PGlite for the file (starting one takes seconds); each test uses its own table prefix.
beforeAll(() => {
  client = new PGlite()
  db = drizzle({ client })
})
afterAll(async () => {
  await client.close()
})
beforeEach(() => {
  vi.mocked(migrate).mockClear()
})
afterEach(() => {
  vi.restoreAllMocks()
})

describe('createPgStore', () => {
  it('runs no migration when constructed; the first call migrates, once for calls that arrive together', async () => {
    const store = createPgStore({ db })
    expect(migrate).not.toHaveBeenCalled()
    expect(await hasTable('baton_sessions')).toBe(false)

    const [session, sessions, database] = await Promise.all([
      store.getSession('a'),
      store.listSessions('someone'),
      store.database(),
      store.findRefreshToken('x'),
    ])
    expect(session).toBeNull()
    expect(sessions).toEqual([])
    expect(database).toBe(db)
    expect(migrate).toHaveBeenCalledTimes(1)
    expect(await hasTable('baton_sessions')).toBe(true)
  })

  it('answers a failed migration with StoreUnavailableError and tries again on the next call', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined)
    vi.mocked(migrate).mockRejectedValueOnce(new Error('connect ECONNREFUSED 127.0.0.1:5432'))
    const store = createPgStore({ db, prefix: 'acme_' })

    const failed = await store.getSession('a').catch((e: unknown) => e)
    expect(failed).toBeInstanceOf(StoreUnavailableError)
    expect((failed as Error).message).not.toContain('ECONNREFUSED')
    expect(await store.getSession('a')).toBeNull()
    expect(migrate).toHaveBeenCalledTimes(2)
    expect(await hasTable('acme_sessions')).toBe(true)
  })

  it('refuses an invalid prefix when constructed', () => {
    expect(() => createPgStore({ db, prefix: 'x"; DROP TABLE y; --' })).toThrow(ConfigError)
  })
})
