export type { LazySessionStore } from '../shared/lazy-store.js'
export { pgAuditLog } from './audit-log.js'
export { type CreatePgStoreOptions, createPgStore } from './create-pg-store.js'
export { migrate, type PgMigrateOptions } from './migrate.js'
export { type AnyPgDatabase, PgSessionStore, type PgStoreOptions } from './pg-store.js'
export {
  createPgRevocationFeed,
  notifyPayloads,
  type PgListenClient,
  type PgQueryable,
  type PgRevocationFeedOptions,
} from './revocation-feed.js'
export { auditEvents, type PgBatonTables, pgTables, rateLimits, refreshTokens, sessions } from './schema.js'
