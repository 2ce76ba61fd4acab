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
  /** The user's role (`reader` until changed): an app claim, recomputed at every refresh. */
  roleOf(id: string): Promise<Role>
  setRole(id: string, role: Role): Promise<void>
}

/** The demo's roles: what `baton.updateSession()` puts into the access token without a new sign-in. */
export type Role = 'reader' | 'editor'

const asRole = (value: string | undefined): Role => (value === 'editor' ? 'editor' : 'reader')

export const SEEDED = { id: 'user-demo', email: 'demo@baton.dev', name: 'Demo User' }
export const SEEDED_PASSWORD = 'correct-horse-battery-staple'

const CREATE = `CREATE TABLE IF NOT EXISTS demo_users (
  id TEXT PRIMARY KEY, email TEXT NOT NULL UNIQUE, name TEXT NOT NULL, password_hash TEXT NOT NULL)`
const CREATE_ROLES = 'CREATE TABLE IF NOT EXISTS demo_roles (user_id TEXT PRIMARY KEY, role TEXT NOT NULL)'
const UPSERT_ROLE =
  'INSERT INTO demo_roles (user_id, role) VALUES ($1, $2) ON CONFLICT (user_id) DO UPDATE SET role = excluded.role'

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
  client.exec(CREATE_ROLES)
  const find = client.prepare<[string], Row>('SELECT * FROM demo_users WHERE email = ?')
  const role = client.prepare<[string], { role: string }>('SELECT role FROM demo_roles WHERE user_id = ?')
  const upsert = client.prepare(UPSERT_ROLE.replace('$1', '?').replace('$2', '?'))
  return {
    findByEmail: async (email) => toUser(find.get(email)),
    roleOf: async (id) => asRole(role.get(id)?.role),
    setRole: async (id, next) => void upsert.run(id, next),
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
    async roleOf(id) {
      const { rows } = await pool.query<{ role: string }>('SELECT role FROM demo_roles WHERE user_id = $1', [id])
      return asRole(rows[0]?.role)
    },
    async setRole(id, next) {
      await pool.query(UPSERT_ROLE, [id, next])
    },
    async seed() {
      const hash = await hashPassword(SEEDED_PASSWORD)
      const client = await pool.connect()
      try {
        // Two instances starting together: CREATE TABLE IF NOT EXISTS is not race-free in Postgres.
        await client.query('BEGIN')
        await client.query('SELECT pg_advisory_xact_lock(7245001)')
        await client.query(CREATE)
        await client.query(CREATE_ROLES)
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
