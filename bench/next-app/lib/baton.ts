import { migrate, openSqliteDatabase, SqliteSessionStore } from '@baton/drizzle/sqlite'
import { createBaton } from '@baton/next'

/**
 * The app's Baton. Env: BENCH_DB (SQLite file, migrated by the benchmark
 * before `next start`), BATON_SECRET. No sign-in: the benchmark creates the
 * sessions with the same store and secret.
 */
const db = openSqliteDatabase(process.env.BENCH_DB ?? '.data/bench.db')
migrate(db)

export const baton = createBaton({
  store: new SqliteSessionStore(db),
  secret: process.env.BATON_SECRET ?? 'bench-development-secret-0123456789abcdef',
  // Plain http on 127.0.0.1: no Secure attribute, so no __Host- prefix either.
  cookies: { secure: false, hostPrefix: false },
  paths: { protected: ['/dashboard'] },
  async authenticate() {
    return null
  },
})
