// Run by scripts/smoke-packed.mjs inside a fresh project where the packed
// tarballs are installed: a real sign-in and refresh on both dialects.
import { createSessionEngine } from '@baton/core'
import { migrate as migratePg, PgSessionStore } from '@baton/drizzle/pg'
import { migrate, openSqliteDatabase, SqliteSessionStore } from '@baton/drizzle/sqlite'
import { PGlite } from '@electric-sql/pglite'
import { drizzle } from 'drizzle-orm/pglite'

const options = { secret: 'smoke-test-secret-0123456789abcdef!!', issuer: 'https://smoke.test' }
const sqlite = openSqliteDatabase(':memory:')
migrate(sqlite)
const pglite = drizzle({ client: new PGlite() })
await migratePg(pglite)
for (const store of [new SqliteSessionStore(sqlite), new PgSessionStore(pglite)]) {
  const engine = createSessionEngine({ ...options, store })
  const first = await engine.signIn({ subject: 'smoke' })
  const second = await engine.refresh({ refreshToken: first.refreshToken })
  if (second.session.id !== first.session.id) throw new Error('refresh changed the session')
}
console.log('sqlite + pglite sign-in and refresh ok')
