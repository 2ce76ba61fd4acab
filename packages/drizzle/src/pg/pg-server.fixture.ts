import { randomBytes } from 'node:crypto'
import { drizzle } from 'drizzle-orm/node-postgres'
import pg from 'pg'
import { migrate } from './migrate.js'

/** The Postgres server tests use, if any (CI sets DATABASE_URL). */
export const DATABASE_URL = process.env.DATABASE_URL

/**
 * A pool whose connections work in a fresh schema of their own, migrated;
 * `dispose()` drops the schema. The server outlives test runs, so nothing is
 * left behind and parallel runs never meet.
 */
export async function tempPgSchema(url: string, options: { max?: number } = {}) {
  const schema = `baton_test_${randomBytes(6).toString('hex')}`
  const admin = new pg.Client({ connectionString: url })
  await admin.connect()
  await admin.query(`CREATE SCHEMA "${schema}"`)
  await admin.end()
  const pool = new pg.Pool({ connectionString: url, max: options.max ?? 10, options: `-c search_path=${schema}` })
  const db = drizzle({ client: pool })
  await migrate(db)
  return {
    schema,
    pool,
    db,
    async dispose() {
      await pool.end()
      const client = new pg.Client({ connectionString: url })
      await client.connect()
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
      await client.end()
    },
  }
}
