import type { AnySqliteDatabase } from '@baton/drizzle/sqlite'
import { hashPassword } from '@baton/next'
import type pg from 'pg'

/** A demo account, as the app stores it. */
export interface DemoUser {
  id: string
  email: string
  name: string
  passwordHash: string
}

/** The demo's own users table: the part of an app Baton does not own. */
export interface UserDirectory {
  findByEmail(email: string): Promise<DemoUser | null>
  /** Creates the table and the seeded account when missing (idempotent, safe from several processes). */
  seed(): Promise<void>
}

export const SEEDED = { id: 'user-demo', email: 'demo@baton.dev', name: 'Demo User' }
export const SEEDED_PASSWORD = 'correct-horse-battery-staple'

const CREATE = `CREATE TABLE IF NOT EXISTS demo_users (
  id TEXT PRIMARY KEY, email TEXT NOT NULL UNIQUE, name TEXT NOT NULL, password_hash TEXT NOT NULL)`

interface Row {
  id: string
  email: string
  name: string
  password_hash: string
}

const toUser = (row: Row | undefined): DemoUser | null =>
  row ? { id: row.id, email: row.email, name: row.name, passwordHash: row.password_hash } : null

export function sqliteUsers(db: AnySqliteDatabase): UserDirectory {
  const client = db.$client
  client.exec(CREATE)
  const find = client.prepare<[string], Row>('SELECT * FROM demo_users WHERE email = ?')
  return {
    findByEmail: async (email) => toUser(find.get(email)),
    async seed() {
      if (find.get(SEEDED.email)) return
      const hash = await hashPassword(SEEDED_PASSWORD)
      client
        .prepare('INSERT OR IGNORE INTO demo_users (id, email, name, password_hash) VALUES (?, ?, ?, ?)')
        .run(SEEDED.id, SEEDED.email, SEEDED.name, hash)
    },
  }
}

export function pgUsers(pool: pg.Pool): UserDirectory {
  return {
    async findByEmail(email) {
      const { rows } = await pool.query<Row>('SELECT * FROM demo_users WHERE email = $1', [email])
      return toUser(rows[0])
    },
    async seed() {
      const hash = await hashPassword(SEEDED_PASSWORD)
      const client = await pool.connect()
      try {
        // Two instances starting together: CREATE TABLE IF NOT EXISTS is not race-free in Postgres.
        await client.query('BEGIN')
        await client.query('SELECT pg_advisory_xact_lock(7245001)')
        await client.query(CREATE)
        await client.query(
          'INSERT INTO demo_users (id, email, name, password_hash) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING',
          [SEEDED.id, SEEDED.email, SEEDED.name, hash],
        )
        await client.query('COMMIT')
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined)
        throw error
      } finally {
        client.release()
      }
    },
  }
}
