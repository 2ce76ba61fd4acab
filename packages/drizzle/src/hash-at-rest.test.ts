/**
 * Only SHA-256 hashes of refresh tokens are ever written. After sign-ins,
 * rotations, a grace hand-back, a reuse and a sign-out through the engine,
 * every row of every Baton table is read back as text — and, for SQLite, the
 * raw bytes of the database file, its WAL (written with checkpoints off, so
 * the fresh pages are there) and its shared-memory index — and no plain
 * refresh token, nor its 43-character body, nor an access token, appears;
 * while each token's SHA-256 (base64url) is in the tokens table.
 */
import { existsSync, readFileSync } from 'node:fs'
import { createSessionEngine, type IssuedSession } from '@baton/core'
import { sha256 } from '@baton/core/internal'
import { manualClock } from '@baton/core/testing'
import { beforeAll, expect, it } from 'vitest'
import { describeBackends, type TestBackend } from './backends.fixture.js'

const SECRET = 'hash-at-rest-secret-0123456789abcdef'
const BATON_TABLES = [
  'baton_audit_events',
  'baton_migrations',
  'baton_rate_limits',
  'baton_refresh_tokens',
  'baton_sessions',
]

async function batonTables(b: TestBackend): Promise<string[]> {
  const rows =
    b.dialect === 'sqlite'
      ? await b.rows<{ name: string }>(`SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'baton%'`)
      : await b.rows<{ name: string }>(
          `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_name LIKE 'baton%'`,
        )
  return rows.map((r) => r.name).sort()
}

/** Every row of every Baton table, as text: one string per row. */
async function dumpRows(b: TestBackend): Promise<string[]> {
  const out: string[] = []
  for (const table of await batonTables(b)) {
    if (b.dialect === 'pg') {
      // The row's own text form, as Postgres prints it.
      const rows = await b.rows<{ row: string }>(`SELECT t::text AS row FROM "${table}" AS t`)
      out.push(...rows.map((r) => `${table}: ${r.row}`))
    } else {
      const rows = await b.rows<Record<string, unknown>>(`SELECT * FROM "${table}"`)
      for (const row of rows) {
        const cells = Object.values(row).map((v) => (Buffer.isBuffer(v) ? v.toString('latin1') : String(v)))
        out.push(`${table}: ${cells.join(' | ')}`)
      }
    }
  }
  return out
}

/** The SQLite file, its WAL and shared-memory index, as bytes. */
function sqliteFiles(file: string): Record<string, Buffer> {
  const files: Record<string, Buffer> = {}
  for (const suffix of ['', '-wal', '-shm']) {
    if (existsSync(file + suffix)) files[`baton.db${suffix}`] = readFileSync(file + suffix)
  }
  return files
}

/** The secrets that must never be at rest: each plain refresh token, its body, each access token. */
function secretsOf(issued: IssuedSession[]): string[] {
  const secrets = new Set<string>()
  for (const i of issued) {
    secrets.add(i.refreshToken)
    secrets.add(i.refreshToken.slice('brt_'.length))
    secrets.add(i.accessToken)
  }
  return [...secrets]
}

function leaksIn(haystacks: Record<string, string | Buffer>, secrets: string[]): string[] {
  const found: string[] = []
  for (const [where, hay] of Object.entries(haystacks)) {
    for (const s of secrets) {
      const hit = typeof hay === 'string' ? hay.includes(s) : hay.includes(Buffer.from(s, 'utf8'))
      if (hit) found.push(`${s.slice(0, 12)}… in ${where}`)
    }
  }
  return found
}

describeBackends(
  'hash at rest',
  (backend) => {
    beforeAll(async () => {
      // Keep every write in the WAL: nothing is checkpointed into the main file until we ask.
      if (backend().dialect === 'sqlite') await backend().exec('PRAGMA wal_autocheckpoint = 0')
    })

    it('stores no plain token anywhere, only its SHA-256', async () => {
      const b = backend()
      const clock = manualClock()
      const engine = createSessionEngine({ store: b.store, secret: SECRET, issuer: 'https://hash.test', clock })
      const strict = createSessionEngine({
        store: b.store,
        secret: SECRET,
        issuer: 'https://hash.test',
        clock,
        reuseGrace: 0,
      })
      const issued: IssuedSession[] = []
      // A chain of rotations, with a grace hand-back in the middle.
      let current = await engine.signIn({ subject: 'alice', user: { name: 'Alice' }, meta: { ip: '192.0.2.1' } })
      issued.push(current)
      for (let i = 0; i < 4; i++) {
        clock.advance(1_000)
        const next = await engine.refresh({ refreshToken: current.refreshToken, meta: { userAgent: `UA/${i}` } })
        issued.push(next)
        if (i === 1) {
          const again = await engine.refresh({ refreshToken: current.refreshToken })
          expect(again.graced).toBe(true)
          issued.push(again)
        }
        current = next
      }
      // A family ended by reuse, and one by sign-out.
      const bob = await strict.signIn({ subject: 'bob' })
      const bob2 = await strict.refresh({ refreshToken: bob.refreshToken })
      await expect(strict.refresh({ refreshToken: bob.refreshToken })).rejects.toMatchObject({
        code: 'ERR_REFRESH_TOKEN_REUSED',
      })
      const carol = await engine.signIn({ subject: 'carol' })
      await engine.signOut({ refreshToken: carol.refreshToken })
      issued.push(bob, bob2, carol)
      await b.store.consumeRateLimit({ key: 'login:192.0.2.1:alice', limit: 5, windowMs: 60_000, now: clock.now() })

      expect(await batonTables(b)).toEqual(BATON_TABLES)
      const secrets = secretsOf(issued)
      const rows = await dumpRows(b)
      expect(rows.length).toBeGreaterThan(10)
      expect(leaksIn({ rows: rows.join('\n') }, secrets)).toEqual([])

      // What is there instead: the SHA-256 (base64url) of every token issued, in the tokens table.
      const stored = new Set(
        (await b.rows<{ hash: string }>('SELECT hash FROM baton_refresh_tokens')).map((r) => r.hash),
      )
      for (const i of issued) expect(stored.has(await sha256(i.refreshToken)), i.refreshToken).toBe(true)

      if (b.dialect === 'sqlite') {
        const file = b.file as string
        const before = sqliteFiles(file)
        expect(before['baton.db-wal']?.length ?? 0, 'the writes are in the WAL').toBeGreaterThan(0)
        expect(leaksIn(before, secrets)).toEqual([])
        // The scan does see what is written: the newest hash is in the WAL bytes.
        const newest = await sha256(current.refreshToken)
        expect(before['baton.db-wal']?.includes(Buffer.from(newest))).toBe(true)

        await b.exec('PRAGMA wal_checkpoint(TRUNCATE)')
        const after = sqliteFiles(file)
        expect(after['baton.db']?.includes(Buffer.from(newest)), 'checkpointed into the main file').toBe(true)
        expect(leaksIn(after, secrets)).toEqual([])
      }
    })

    it('the scan would catch a plain token (canary: one planted in a user-agent column)', async () => {
      const b = backend()
      if (b.dialect === 'sqlite') await b.exec('PRAGMA wal_autocheckpoint = 0')
      const engine = createSessionEngine({ store: b.store, secret: SECRET, issuer: 'https://hash.test' })
      const victim = await engine.signIn({ subject: 'canary-victim' })
      // An app mistake Baton cannot prevent: a token copied into request metadata.
      await engine.signIn({ subject: 'canary', meta: { userAgent: `leak ${victim.refreshToken}` } })
      const secrets = secretsOf([victim])
      const found = leaksIn({ rows: (await dumpRows(b)).join('\n') }, secrets)
      expect(found).toHaveLength(2) // the token and its body; the access token is not planted
      if (b.dialect === 'sqlite') expect(leaksIn(sqliteFiles(b.file as string), secrets).length).toBeGreaterThan(0)
    })
  },
  { only: ['SQLite file', 'PGlite'] },
)
