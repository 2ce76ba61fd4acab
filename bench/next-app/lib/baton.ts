import { createPgRevocationFeed, PgSessionStore } from '@baton/drizzle/pg'
import { migrate, openSqliteDatabase, SqliteSessionStore } from '@baton/drizzle/sqlite'
import { createBaton } from '@baton/next'
import { drizzle } from 'drizzle-orm/node-postgres'
import pg from 'pg'

/**
 * The app's Baton. Env: BENCH_DB (SQLite file, migrated by the benchmark
 * before `next start`), BATON_SECRET. With BENCH_PG_URL (and BENCH_PG_SCHEMA,
 * migrated by the benchmark), the store is Postgres and revocations reach
 * every instance through LISTEN/NOTIFY (`revocation-propagation`). No
 * sign-in: the benchmark creates the sessions with the same store and secret.
 */
function storage() {
  const url = process.env.BENCH_PG_URL
  if (url) {
    const options = `-c search_path=${process.env.BENCH_PG_SCHEMA ?? 'public'}`
    const pool = new pg.Pool({ connectionString: url, max: 4, options })
    return {
      store: new PgSessionStore(drizzle({ client: pool })),
      revocations: createPgRevocationFeed({
        pool,
        listen: async () => {
          const client = new pg.Client({ connectionString: url, options })
          client.on('error', () => undefined)
          await client.connect()
          return client
        },
      }),
    }
  }
  const db = openSqliteDatabase(process.env.BENCH_DB ?? '.data/bench.db')
  migrate(db)
  return { store: new SqliteSessionStore(db), revocations: undefined }
}

export const baton = createBaton({
  ...storage(),
  secret: process.env.BATON_SECRET ?? 'bench-development-secret-0123456789abcdef',
  // Plain http on 127.0.0.1: no Secure attribute, so no __Host- prefix either.
  cookies: { secure: false, hostPrefix: false },
  paths: { protected: ['/dashboard'] },
  async authenticate() {
    return null
  },
})
