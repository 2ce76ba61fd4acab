import { existsSync } from 'node:fs'
import { createSessionEngine } from '@baton/core'
import { sha256 } from '@baton/core/internal'
import Database from 'better-sqlite3'
import pg from 'pg'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { type Backend, type BackendKind, backendKinds, openBackend } from './index.js'

const SECRET = 'test-kit-backend-secret-0123456789!!'
const signIn = (backend: Backend) =>
  createSessionEngine({ store: backend.store, secret: SECRET, issuer: 'https://app.test' }).signIn({ subject: 'ada' })

describe('backendKinds', () => {
  afterEach(() => vi.restoreAllMocks())

  it('runs every kind asked for when there is a Postgres server', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const kinds = backendKinds({ suite: 'kit', kinds: ['sqlite', 'postgres'], databaseUrl: 'postgres://x/y' })
    expect(kinds).toEqual({ run: ['sqlite', 'postgres'], skipped: [] })
    expect(warn).not.toHaveBeenCalled()
  })

  it('says SKIPPED out loud for Postgres without DATABASE_URL, and keeps the others', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const kinds = backendKinds({ suite: 'kit', kinds: ['memory', 'postgres', 'pglite'], databaseUrl: undefined })
    expect(kinds.run).toEqual(['memory', 'pglite'])
    expect(kinds.skipped).toEqual([{ kind: 'postgres', reason: 'DATABASE_URL is not set' }])
    expect(warn).toHaveBeenCalledWith('[kit] Postgres SKIPPED: DATABASE_URL is not set.')
  })
})

describe('openBackend', () => {
  it('rejects Postgres without a server, pointing at backendKinds', async () => {
    const saved = process.env.DATABASE_URL
    delete process.env.DATABASE_URL
    try {
      await expect(openBackend({ kind: 'postgres' })).rejects.toThrow(/needs DATABASE_URL.*backendKinds/)
    } finally {
      if (saved !== undefined) process.env.DATABASE_URL = saved
    }
  })

  it('keeps a memory store in this process, with no SQL', async () => {
    const backend = await openBackend({ kind: 'memory' })
    const issued = await signIn(backend)
    expect((await backend.store.findRefreshToken(await sha256(issued.refreshToken)))?.session.id).toBe(
      issued.session.id,
    )
    expect(backend.url).toBeNull()
    await expect(backend.query('select 1')).rejects.toThrow(/no SQL/)
    await backend.close()
  })
})

const { run, skipped } = backendKinds({ suite: 'test-kit', kinds: ['sqlite', 'pglite', 'postgres'] })
for (const { kind, reason } of skipped) {
  describe(`openBackend: ${kind}`, () => {
    it.skip(`SKIPPED: ${reason}`, () => {})
  })
}

/** Reads the session rows through `url`, the way another process would. */
async function rowsElsewhere(kind: BackendKind, url: string): Promise<unknown[]> {
  if (kind === 'sqlite') {
    const db = new Database(url, { readonly: true })
    try {
      return db.prepare('select id from baton_sessions').all()
    } finally {
      db.close()
    }
  }
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return (await client.query('select id from baton_sessions')).rows
  } finally {
    await client.end()
  }
}

for (const kind of run) {
  describe(`openBackend: ${kind}`, () => {
    it('opens a migrated store; query and snapshot see its rows; close removes what it made', async () => {
      const backend = await openBackend({ kind })
      try {
        expect(backend.kind).toBe(kind)
        const issued = await signIn(backend)
        const rows = await backend.query<{ id: string; subject: string }>(
          'select id, subject from baton_sessions where id = ?',
          [issued.session.id],
        )
        expect(rows).toEqual([{ id: issued.session.id, subject: 'ada' }])
        const counted = await backend.snapshot(async (query) =>
          query<{ n: unknown }>('select count(*) as n from baton_refresh_tokens'),
        )
        expect(Number(counted[0]?.n)).toBe(1)
        if (kind === 'pglite') expect(backend.url).toBeNull()
        else expect(await rowsElsewhere(kind, backend.url as string)).toEqual([{ id: issued.session.id }])
      } finally {
        await backend.close()
      }
      if (kind === 'sqlite') expect(existsSync(backend.url as string)).toBe(false)
      if (kind === 'postgres') {
        const client = new pg.Client({ connectionString: process.env.DATABASE_URL })
        await client.connect()
        const left = await client.query('select 1 from information_schema.schemata where schema_name = $1', [
          backend.schema,
        ])
        await client.end()
        expect(backend.schema).toMatch(/^baton_test_\d+_[0-9a-f]{8}$/)
        expect(left.rows).toEqual([])
      }
    })

    it('gives each call a database of its own', async () => {
      const [one, two] = await Promise.all([openBackend({ kind }), openBackend({ kind })])
      try {
        await signIn(one as Backend)
        expect(await (two as Backend).query('select id from baton_sessions')).toEqual([])
      } finally {
        await Promise.all([one?.close(), two?.close()])
      }
    })
  })
}
