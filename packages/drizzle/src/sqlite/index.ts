export { migrate, type SqliteMigrateOptions } from './migrate.js'
export { type OpenSqliteOptions, openSqliteDatabase } from './open-database.js'
export { auditEvents, rateLimits, refreshTokens, type SqliteBatonTables, sessions, sqliteTables } from './schema.js'
export { type AnySqliteDatabase, SqliteSessionStore, type SqliteStoreOptions } from './sqlite-store.js'
