import { describeStoreConformance } from '@baton/core/testing'
import { afterAll, beforeAll, describe, it } from 'vitest'
import { DATABASE_URL, tempPgSchema } from './pg-server.fixture.js'
import { PgSessionStore } from './pg-store.js'

if (DATABASE_URL) {
  const url = DATABASE_URL
  let temp: Awaited<ReturnType<typeof tempPgSchema>>
  beforeAll(async () => {
    temp = await tempPgSchema(url)
  })
  afterAll(async () => {
    await temp?.dispose()
  })
  describeStoreConformance('Postgres server (node-postgres pool)', { createStore: () => new PgSessionStore(temp.db) })
} else {
  console.warn('[baton] Postgres server tests SKIPPED: DATABASE_URL is not set (PGlite still covers the dialect).')
  describe('Postgres server (node-postgres pool)', () => {
    it.skip('SKIPPED: DATABASE_URL is not set; PGlite covers the Postgres dialect', () => {})
  })
}
