import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { migrate } from './migrate.js'
import { openSqliteDatabase } from './open-database.js'

/** A migrated SQLite file in its own temp directory, for one test. */
export function tempSqlite(prefix?: string): {
  db: ReturnType<typeof openSqliteDatabase>
  file: string
  dispose(): void
} {
  const dir = mkdtempSync(join(tmpdir(), 'baton-sqlite-'))
  const file = join(dir, 'baton.db')
  const db = openSqliteDatabase(file)
  migrate(db, prefix ? { prefix } : {})
  return {
    db,
    file,
    dispose() {
      db.$client.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
