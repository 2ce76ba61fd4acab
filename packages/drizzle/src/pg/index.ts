export { pgAuditLog } from './audit-log.js'
export { migrate, type PgMigrateOptions } from './migrate.js'
export { type AnyPgDatabase, PgSessionStore, type PgStoreOptions } from './pg-store.js'
export { auditEvents, type PgBatonTables, pgTables, rateLimits, refreshTokens, sessions } from './schema.js'
