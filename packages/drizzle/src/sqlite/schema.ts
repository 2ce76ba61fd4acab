import { sql } from 'drizzle-orm'
import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core'
import { checkPrefix, DEFAULT_PREFIX } from '../shared/prefix.js'

/**
 * Baton's SQLite tables. Times are integer milliseconds since the epoch.
 * `sqliteTables('acme_')` gives the same shape under another prefix; the
 * shipped migrations are rewritten for it by `migrate()`.
 */
export function sqliteTables(prefix: string = DEFAULT_PREFIX) {
  checkPrefix(prefix)
  const sessions = sqliteTable(
    `${prefix}sessions`,
    {
      id: text('id').primaryKey(),
      subject: text('subject').notNull(),
      user: text('user'),
      createdAt: integer('created_at').notNull(),
      lastUsedAt: integer('last_used_at').notNull(),
      expiresAt: integer('expires_at').notNull(),
      absoluteExpiresAt: integer('absolute_expires_at').notNull(),
      revokedAt: integer('revoked_at'),
      revokeReason: text('revoke_reason'),
      userAgent: text('user_agent'),
      ip: text('ip'),
      deviceId: text('device_id'),
      data: text('data'),
      dataVersion: integer('data_version').notNull().default(0),
    },
    // No index on expires_at: every rotation moves it, and prune cannot use one
    // (it filters on min(expires_at, absolute_expires_at)); 0001 drops it. The revoked_at index
    // is partial: only a revocation writes it, never a rotation (the revocation feed reads it).
    (t) => [
      index(`${prefix}sessions_subject_idx`).on(t.subject),
      index(`${prefix}sessions_revoked_idx`).on(t.revokedAt).where(sql`${t.revokedAt} IS NOT NULL`),
    ],
  )
  const refreshTokens = sqliteTable(
    `${prefix}refresh_tokens`,
    {
      hash: text('hash').primaryKey(),
      sessionId: text('session_id')
        .notNull()
        .references(() => sessions.id, { onDelete: 'cascade' }),
      parentHash: text('parent_hash'),
      successorHash: text('successor_hash'),
      createdAt: integer('created_at').notNull(),
      expiresAt: integer('expires_at').notNull(),
      usedAt: integer('used_at'),
    },
    (t) => [
      index(`${prefix}refresh_tokens_session_idx`).on(t.sessionId),
      index(`${prefix}refresh_tokens_expires_idx`).on(t.expiresAt),
    ],
  )
  const rateLimits = sqliteTable(`${prefix}rate_limits`, {
    key: text('key').primaryKey(),
    count: integer('count').notNull(),
    windowStart: integer('window_start').notNull(),
    windowMs: integer('window_ms').notNull(),
  })
  const auditEvents = sqliteTable(
    `${prefix}audit_events`,
    {
      id: integer('id').primaryKey({ autoIncrement: true }),
      type: text('type').notNull(),
      at: integer('at').notNull(),
      subject: text('subject').notNull(),
      sessionId: text('session_id').notNull(),
      reason: text('reason'),
      graced: integer('graced', { mode: 'boolean' }),
      ip: text('ip'),
      userAgent: text('user_agent'),
    },
    (t) => [index(`${prefix}audit_events_subject_idx`).on(t.subject, t.at)],
  )
  return { sessions, refreshTokens, rateLimits, auditEvents }
}

/** The default tables (`baton_` prefix); drizzle-kit generates the shipped migrations from these. */
export const { sessions, refreshTokens, rateLimits, auditEvents } = sqliteTables()

/** A set of Baton tables for SQLite (your own, of the same shape, works too). */
export type SqliteBatonTables = ReturnType<typeof sqliteTables>
