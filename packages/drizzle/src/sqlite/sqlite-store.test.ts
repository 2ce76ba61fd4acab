import type { SessionStore } from '@baton/core'
import { describeStoreConformance } from '@baton/core/testing'
import { SqliteSessionStore } from './sqlite-store.js'
import { tempSqlite } from './temp-database.fixture.js'

const open = new WeakMap<SessionStore, () => void>()

describeStoreConformance('SQLite file (better-sqlite3)', {
  createStore() {
    const { db, dispose } = tempSqlite()
    const store = new SqliteSessionStore(db)
    open.set(store, dispose)
    return store
  },
  destroyStore: (store) => open.get(store)?.(),
})

describeStoreConformance('SQLite file with prefix "acme_"', {
  createStore() {
    const { db, dispose } = tempSqlite({ prefix: 'acme_' })
    const store = new SqliteSessionStore(db, { prefix: 'acme_' })
    open.set(store, dispose)
    return store
  },
  destroyStore: (store) => open.get(store)?.(),
})
