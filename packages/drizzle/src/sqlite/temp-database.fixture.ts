import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { migrate } from './migrate.js'
import { type OpenSqliteOptions, openSqliteDatabase } from './open-database.js'

/** A migrated SQLite file in its own temp directory, for one test (`prefix`: the tables' name prefix). */
export function tempSqlite(options: OpenSqliteOptions & { prefix?: string } = {}): {
  db: ReturnType<typeof openSqliteDatabase>
  file: string
  dispose(): void
} {
  const dir = mkdtempSync(join(tmpdir(), 'baton-sqlite-'))
  const file = join(dir, 'baton.db')
  const { prefix, ...open } = options
  const db = openSqliteDatabase(file, open)
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
