/**
 * Issue 14 §3: a SQLite store that `lib/baton.ts` creates at import time must
 * not touch the file until its first call (so `next build` opens nothing),
 * must create the file's folder, migrate once however many first calls race,
 * and retry an opening that failed.
 */
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { SessionStore } from '@baton/core'
import { ConfigError, StoreUnavailableError } from '@baton/core'
import { describeStoreConformance } from '@baton/core/testing'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createSqliteStore } from './create-sqlite-store.js'
import { migrate } from './migrate.js'
import { openSqliteDatabase } from './open-database.js'

vi.mock('./migrate.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('./migrate.js')>()
  return { ...actual, migrate: vi.fn(actual.migrate) }
})

let dir: string
const closers: (() => void | Promise<void>)[] = []

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'baton-lazy-sqlite-'))
  vi.mocked(migrate).mockClear()
})
afterEach(async () => {
  for (const close of closers.splice(0)) await close()
  vi.restoreAllMocks()
  rmSync(dir, { recursive: true, force: true })
})

describe('openSqliteDatabase', () => {
  it('creates a missing folder (mode 0700) instead of failing with "the directory does not exist"', () => {
    const file = join(dir, '.data', 'nested', 'baton.db')
    const db = openSqliteDatabase(file)
    closers.push(() => void db.$client.close())
    expect(existsSync(file)).toBe(true)
    expect(statSync(join(dir, '.data')).mode & 0o777).toBe(0o700 & ~process.umask())
    expect(statSync(join(dir, '.data', 'nested')).mode & 0o777).toBe(0o700 & ~process.umask())
  })
})

describe('createSqliteStore', () => {
  it('touches no file until its first call, then opens, creates the folder and migrates', async () => {
    const file = join(dir, '.data', 'baton.db')
    const store = createSqliteStore({ file })
    expect(existsSync(join(dir, '.data'))).toBe(false)
    expect(migrate).not.toHaveBeenCalled()

    expect(await store.getSession('missing')).toBeNull()
    closers.push(async () => void (await store.database()).$client.close())
    expect(existsSync(file)).toBe(true)
    const tables = (await store.database()).$client
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'baton_%'")
      .all()
    expect(tables.length).toBeGreaterThanOrEqual(4)
  })

  it('opens and migrates once when the first calls arrive together', async () => {
    const store = createSqliteStore({ file: join(dir, 'baton.db') })
    const results = await Promise.all([
      store.getSession('a'),
      store.listSessions('someone'),
      store.findRefreshToken('x'),
      store.database(),
      store.resetRateLimit('k'),
    ])
    const db = await store.database()
    closers.push(() => void db.$client.close())
    expect(results[3]).toBe(db)
    expect(migrate).toHaveBeenCalledTimes(1)
    await store.getSession('b')
    expect(migrate).toHaveBeenCalledTimes(1)
  })

  it('answers a failed opening with StoreUnavailableError, keeps no failure, and retries on the next call', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    const blocker = join(dir, 'data')
    writeFileSync(blocker, 'a file where the folder should be')
    const store = createSqliteStore({ file: join(blocker, 'baton.db') })

    const failed = await store.getSession('a').catch((e: unknown) => e)
    expect(failed).toBeInstanceOf(StoreUnavailableError)
    expect(failed).toMatchObject({ code: 'ERR_STORE_UNAVAILABLE', status: 503 })
    expect((failed as Error).message).not.toContain(dir) // no server path for clients
    expect(error).toHaveBeenCalledWith(expect.stringContaining(join(blocker, 'baton.db')), expect.anything())

    rmSync(blocker)
    expect(await store.getSession('a')).toBeNull()
    closers.push(async () => void (await store.database()).$client.close())
    expect(existsSync(join(blocker, 'baton.db'))).toBe(true)
  })

  it('refuses an invalid prefix when constructed, before any call', () => {
    expect(() => createSqliteStore({ file: join(dir, 'baton.db'), prefix: 'Bad-Prefix' })).toThrow(ConfigError)
    expect(existsSync(join(dir, 'baton.db'))).toBe(false)
  })
})

const opened = new WeakMap<SessionStore, () => Promise<void>>()

describeStoreConformance('SQLite file opened on first use (createSqliteStore)', {
  createStore() {
    const folder = mkdtempSync(join(tmpdir(), 'baton-lazy-sqlite-'))
    const store = createSqliteStore({ file: join(folder, 'db', 'baton.db'), prefix: 'acme_' })
    opened.set(store, async () => {
      ;(await store.database()).$client.close()
      rmSync(folder, { recursive: true, force: true })
    })
    return store
  },
  destroyStore: (store) => opened.get(store)?.(),
})
