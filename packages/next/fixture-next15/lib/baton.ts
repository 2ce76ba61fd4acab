import { mkdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { migrate, openSqliteDatabase, SqliteSessionStore } from '@baton/drizzle/sqlite'
import { createBaton, hashPassword, verifyPassword } from '@baton/next'
import { batonConfig } from './baton-config'

/** The Next 15 fixture's Baton (route handlers). Env: FIXTURE_DB (SQLite file), BATON_SECRET. */
const file = process.env.FIXTURE_DB ?? join(process.cwd(), '.data', 'fixture.db')
mkdirSync(dirname(file), { recursive: true })
const db = openSqliteDatabase(file)
migrate(db)

const ada = { id: 'user-ada', email: 'ada@example.com', name: 'Ada' }
const adaHash = hashPassword('correct-horse-battery-staple')

export const baton = createBaton({
  ...batonConfig,
  store: new SqliteSessionStore(db),
  async authenticate(credentials) {
    const known = credentials.email?.trim().toLowerCase() === ada.email
    const ok = await verifyPassword(credentials.password ?? '', known ? await adaHash : null)
    return ok && known ? ada : null
  },
})
