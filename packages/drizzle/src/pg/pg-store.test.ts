import { describeStoreConformance } from '@baton/core/testing'
import { PGlite } from '@electric-sql/pglite'
import { drizzle } from 'drizzle-orm/pglite'
import { afterAll, beforeAll } from 'vitest'
import { migrate } from './migrate.js'
import { PgSessionStore } from './pg-store.js'

let client: PGlite
let db: ReturnType<typeof drizzle>

beforeAll(async () => {
  client = new PGlite()
  db = drizzle({ client })
  await migrate(db)
  await migrate(db, { prefix: 'acme_' })
})
afterAll(async () => {
  await client.close()
})

describeStoreConformance('PGlite', { createStore: () => new PgSessionStore(db) })
describeStoreConformance('PGlite with prefix "acme_"', {
  createStore: () => new PgSessionStore(db, { prefix: 'acme_' }),
})
