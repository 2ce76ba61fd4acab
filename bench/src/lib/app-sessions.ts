/**
 * Sessions for the bench Next app, created in the benchmark's own process
 * with the app's store (the same SQLite file) and secret, exactly as the
 * app's own sign-in would create them: `createSessionEngine` with the options
 * `createBaton` gives it.
 */
import { createSessionEngine, type IssuedSession } from '@baton/core'
import { migrate, openSqliteDatabase, SqliteSessionStore } from '@baton/drizzle/sqlite'
import { USER_AGENT } from './sessions.js'

/** The app's cookie names (`cookies: { secure: false, hostPrefix: false }`). */
export const ACCESS_COOKIE = 'baton.at'
export const REFRESH_COOKIE = 'baton.rt'

/** Opens (and migrates) the app's database and signs in `count` sessions, 100 at a time. */
export async function signInSessions(db: string, secret: string, count: number): Promise<IssuedSession[]> {
  const database = openSqliteDatabase(db)
  try {
    migrate(database)
    // `createBaton` passes the app's options through with `issuer: 'baton'`.
    const engine = createSessionEngine({ store: new SqliteSessionStore(database), secret, issuer: 'baton' })
    const issued: IssuedSession[] = []
    const signIn = (i: number) => {
      const user = { id: `user-${i}`, email: `user${i}@example.com`, name: 'Bench User' }
      return engine.signIn({ subject: user.id, user, meta: { ip: '127.0.0.1', userAgent: USER_AGENT } })
    }
    // Concurrent sign-ins overlap their WebCrypto work; the store serialises the writes.
    for (let i = 0; i < count; i += 100) {
      const batch = Array.from({ length: Math.min(100, count - i) }, (_, j) => signIn(i + j))
      issued.push(...(await Promise.all(batch)))
    }
    return issued
  } finally {
    database.$client.close()
  }
}
