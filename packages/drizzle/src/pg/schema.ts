import type { JsonObject } from '@baton/core'
import { sql } from 'drizzle-orm'
import { bigint, bigserial, boolean, index, integer, jsonb, pgTable, text } from 'drizzle-orm/pg-core'
import { checkPrefix, DEFAULT_PREFIX } from '../shared/prefix.js'

const ms = (name: string) => bigint(name, { mode: 'number' })

/**
 * Baton's Postgres tables. Times are `bigint` milliseconds since the epoch
 * (exact, index-friendly, identical to the SQLite schema).
 */
export function pgTables(prefix: string = DEFAULT_PREFIX) {
  checkPrefix(prefix)
  const sessions = pgTable(
    `${prefix}sessions`,
    {
      id: text('id').primaryKey(),
      subject: text('subject').notNull(),
      user: jsonb('user').$type<JsonObject>(),
      createdAt: ms('created_at').notNull(),
      lastUsedAt: ms('last_used_at').notNull(),
      expiresAt: ms('expires_at').notNull(),
      absoluteExpiresAt: ms('absolute_expires_at').notNull(),
      revokedAt: ms('revoked_at'),
      revokeReason: text('revoke_reason'),
      userAgent: text('user_agent'),
      ip: text('ip'),
      deviceId: text('device_id'),
      data: text('data'),
      dataVersion: integer('data_version').notNull().default(0),
    },
    (t) => [
      index(`${prefix}sessions_subject_idx`).on(t.subject),
      index(`${prefix}sessions_expires_idx`).on(t.expiresAt),
      // Partial: only a revocation writes it (the revocation feed's catch-up reads it).
      index(`${prefix}sessions_revoked_idx`).on(t.revokedAt).where(sql`${t.revokedAt} IS NOT NULL`),
    ],
  )
  const refreshTokens = pgTable(
    `${prefix}refresh_tokens`,
    {
      hash: text('hash').primaryKey(),
      sessionId: text('session_id')
        .notNull()
        .references(() => sessions.id, { onDelete: 'cascade' }),
      parentHash: text('parent_hash'),
      successorHash: text('successor_hash'),
      createdAt: ms('created_at').notNull(),
      expiresAt: ms('expires_at').notNull(),
      usedAt: ms('used_at'),
    },
    (t) => [
      index(`${prefix}refresh_tokens_session_idx`).on(t.sessionId),
      index(`${prefix}refresh_tokens_expires_idx`).on(t.expiresAt),
    ],
  )
  const rateLimits = pgTable(`${prefix}rate_limits`, {
    key: text('key').primaryKey(),
    count: integer('count').notNull(),
    windowStart: ms('window_start').notNull(),
    windowMs: ms('window_ms').notNull(),
  })
  const auditEvents = pgTable(
    `${prefix}audit_events`,
    {
      id: bigserial('id', { mode: 'number' }).primaryKey(),
      type: text('type').notNull(),
      at: ms('at').notNull(),
      subject: text('subject').notNull(),
      sessionId: text('session_id').notNull(),
      reason: text('reason'),
      graced: boolean('graced'),
      ip: text('ip'),
      userAgent: text('user_agent'),
    },
    (t) => [index(`${prefix}audit_events_subject_idx`).on(t.subject, t.at)],
  )
  return { sessions, refreshTokens, rateLimits, auditEvents }
}

/** The default tables (`baton_` prefix); drizzle-kit generates the shipped migrations from these. */
export const { sessions, refreshTokens, rateLimits, auditEvents } = pgTables()

/** A set of Baton tables for Postgres (your own, of the same shape, works too). */
export type PgBatonTables = ReturnType<typeof pgTables>
