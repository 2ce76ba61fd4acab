// The public types of @baton/drizzle, checked by `tsc -p tsconfig.test.json` (the typecheck step).
import type { RateLimitStore, SessionDataStore, SessionStore, TokenFamilyStore } from '@baton/core'
import type { PgliteDatabase } from 'drizzle-orm/pglite'
import { describe, expectTypeOf, it } from 'vitest'
import {
  type CreatePgStoreOptions,
  createPgStore,
  type LazySessionStore as PgLazyStore,
  type PgSessionStore,
} from './pg/index.js'
import {
  type AnySqliteDatabase,
  type CreateSqliteStoreOptions,
  createSqliteStore,
  type LazySessionStore,
  type SqliteSessionStore,
} from './sqlite/index.js'

describe('public types of @baton/drizzle', () => {
  it('createSqliteStore: one options object, a lazy store that is a full SessionStore', () => {
    expectTypeOf(createSqliteStore).parameters.toEqualTypeOf<[CreateSqliteStoreOptions]>()
    expectTypeOf(createSqliteStore).returns.toEqualTypeOf<LazySessionStore<AnySqliteDatabase>>()
    expectTypeOf<LazySessionStore<AnySqliteDatabase>>().toMatchTypeOf<SessionStore>()
    expectTypeOf<CreateSqliteStoreOptions['file']>().toEqualTypeOf<string>()
    expectTypeOf<CreateSqliteStoreOptions['checkpoint']>().toEqualTypeOf<'background' | 'inline' | undefined>()
    expectTypeOf<LazySessionStore<AnySqliteDatabase>['database']>().returns.toEqualTypeOf<Promise<AnySqliteDatabase>>()
  })

  it('createPgStore keeps the app’s database type', () => {
    expectTypeOf(createPgStore<PgliteDatabase>).parameters.toEqualTypeOf<[CreatePgStoreOptions<PgliteDatabase>]>()
    expectTypeOf(createPgStore<PgliteDatabase>).returns.toEqualTypeOf<PgLazyStore<PgliteDatabase>>()
  })

  it('the eager stores implement all three store contracts', () => {
    for (const store of [{} as SqliteSessionStore, {} as PgSessionStore]) {
      expectTypeOf(store).toMatchTypeOf<TokenFamilyStore>()
      expectTypeOf(store).toMatchTypeOf<RateLimitStore>()
      expectTypeOf(store).toMatchTypeOf<SessionDataStore>()
    }
  })
})
