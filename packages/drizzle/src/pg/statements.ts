import { eq, sql } from 'drizzle-orm'
import type { PgDatabase } from 'drizzle-orm/pg-core'
import { rateLimitWindowSet } from '../shared/rate-limit-window.js'
import type { PgBatonTables } from './schema.js'

// biome-ignore lint/suspicious/noExplicitAny: node-postgres and PGlite databases with any schema
export type AnyPgDatabase = PgDatabase<any, any, any>

// The store's statements, prepared once per store (named after the sessions table, so that
// stores over other tables on one connection do not share a name): the rotation runs without building SQL.

const p = (name: string) => sql.placeholder(name)
const col = (c: { name: string }) => sql.identifier(c.name)

/** Prepares every statement of `PgSessionStore` over the tables `t`; `name` prefixes their names. */
export function prepareStatements(db: AnyPgDatabase, t: PgBatonTables, name: string) {
  const { sessions, refreshTokens: tokens, rateLimits } = t
  // One statement, hence one implicit transaction and one round trip: the
  // conditional UPDATE (the compare-and-set), the successor INSERT and the
  // session UPDATE commit together or not at all. A concurrent statement
  // blocks on the row lock and then sees used_at set, so it matches nothing.
  const used = db.$with('used', { hash: sql<string>`hash` }).as(
    sql`UPDATE ${tokens} SET ${col(tokens.usedAt)} = ${p('usedAt')}, ${col(tokens.successorHash)} = ${p('successorHash')}
        WHERE ${tokens.hash} = ${p('hash')} AND ${tokens.sessionId} = ${p('sessionId')} AND ${tokens.usedAt} IS NULL
          AND EXISTS (SELECT 1 FROM ${sessions} WHERE ${sessions.id} = ${p('sessionId')} AND ${sessions.revokedAt} IS NULL)
        RETURNING ${tokens.hash}`,
  )
  const inserted = db.$with('inserted', { hash: sql<string>`hash` }).as(
    sql`INSERT INTO ${tokens} (${col(tokens.hash)}, ${col(tokens.sessionId)}, ${col(tokens.parentHash)}, ${col(tokens.createdAt)}, ${col(tokens.expiresAt)})
        SELECT ${p('successorHash')}, ${p('sessionId')}, ${p('hash')}, ${p('createdAt')}::bigint, ${p('expiresAt')}::bigint FROM used
        RETURNING ${col(tokens.hash)}`,
  )
  const touched = db.$with('touched', { id: sql<string>`id` }).as(
    sql`UPDATE ${sessions} SET ${col(sessions.lastUsedAt)} = ${p('lastUsedAt')}::bigint, ${col(sessions.expiresAt)} = ${p('sessionExpiresAt')}::bigint,
          ${col(sessions.userAgent)} = ${p('userAgent')}::text, ${col(sessions.ip)} = ${p('ip')}::text
        WHERE ${sessions.id} = ${p('sessionId')} AND EXISTS (SELECT 1 FROM used)
        RETURNING ${sessions.id}`,
  )
  return {
    rotate: db
      .with(used, inserted, touched)
      .select({ won: sql<number>`(SELECT count(*)::int FROM inserted)` })
      .from(sql`(SELECT 1) AS one`)
      .prepare(`${name}_rotate`),
    findToken: db
      .select({ token: tokens, session: sessions })
      .from(tokens)
      .innerJoin(sessions, eq(tokens.sessionId, sessions.id))
      .where(eq(tokens.hash, p('hash')))
      .prepare(`${name}_find_token`),
    getSession: db
      .select()
      .from(sessions)
      .where(eq(sessions.id, p('id')))
      .prepare(`${name}_get_session`),
    consumeRateLimit: db
      .insert(rateLimits)
      .values({ key: sql`${p('key')}`, count: 1, windowStart: sql`${p('now')}`, windowMs: sql`${p('windowMs')}` })
      .onConflictDoUpdate({
        target: rateLimits.key,
        set: rateLimitWindowSet(rateLimits),
      })
      .returning()
      .prepare(`${name}_rate_limit`),
  }
}
