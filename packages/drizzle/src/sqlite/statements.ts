import type Database from 'better-sqlite3'
import { and, eq, exists, isNull, sql } from 'drizzle-orm'
import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3'
import { rateLimitWindowSet } from '../shared/rate-limit-window.js'
import type { SqliteBatonTables } from './schema.js'

// biome-ignore lint/suspicious/noExplicitAny: any schema the app's drizzle instance was created with
export type AnySqliteDatabase = BetterSQLite3Database<any> & { $client: Database.Database }

// The store's statements, prepared once per store: the refresh path runs them without building SQL.

const p = (name: string) => sql.placeholder(name)

/** Prepares every statement of `SqliteSessionStore` over the tables `t`. */
export function prepareStatements(db: AnySqliteDatabase, t: SqliteBatonTables) {
  const { sessions, refreshTokens: tokens, rateLimits } = t
  const liveSession = db
    .select({ one: sql`1` })
    .from(sessions)
    .where(and(eq(sessions.id, p('sessionId')), isNull(sessions.revokedAt)))
  return {
    findToken: db
      .select({ token: tokens, session: sessions })
      .from(tokens)
      .innerJoin(sessions, eq(tokens.sessionId, sessions.id))
      .where(eq(tokens.hash, p('hash')))
      .prepare(),
    markUsed: db
      .update(tokens)
      .set({ usedAt: sql`${p('usedAt')}`, successorHash: sql`${p('successorHash')}` })
      .where(
        and(
          eq(tokens.hash, p('hash')),
          eq(tokens.sessionId, p('sessionId')),
          isNull(tokens.usedAt),
          exists(liveSession),
        ),
      )
      .returning({ hash: tokens.hash })
      .prepare(),
    insertToken: db
      .insert(tokens)
      .values({
        hash: p('hash'),
        sessionId: p('sessionId'),
        parentHash: p('parentHash'),
        successorHash: p('successorHash'),
        createdAt: p('createdAt'),
        expiresAt: p('expiresAt'),
        usedAt: p('usedAt'),
      })
      .prepare(),
    touchSession: db
      .update(sessions)
      .set({
        lastUsedAt: sql`${p('lastUsedAt')}`,
        expiresAt: sql`${p('expiresAt')}`,
        userAgent: sql`${p('userAgent')}`,
        ip: sql`${p('ip')}`,
      })
      .where(eq(sessions.id, p('id')))
      .prepare(),
    getSession: db
      .select()
      .from(sessions)
      .where(eq(sessions.id, p('id')))
      .prepare(),
    consumeRateLimit: db
      .insert(rateLimits)
      .values({ key: p('key'), count: 1, windowStart: p('now'), windowMs: p('windowMs') })
      .onConflictDoUpdate({
        target: rateLimits.key,
        set: rateLimitWindowSet(rateLimits),
      })
      .returning()
      .prepare(),
  }
}
