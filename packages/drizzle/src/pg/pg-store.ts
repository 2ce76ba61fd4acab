import type {
  PruneInput,
  PruneResult,
  RateLimitInput,
  RateLimitResult,
  RefreshTokenRecord,
  RefreshTokenWithSession,
  Revocation,
  RotateRefreshTokenInput,
  RotateRefreshTokenResult,
  SessionRecord,
  SessionStore,
} from '@baton/core'
import { and, eq, getTableName, isNull, ne, sql } from 'drizzle-orm'
import { failedRotation, type SessionRow, sessionValues, toSession } from '../shared/records.js'
import { type PgBatonTables, pgTables } from './schema.js'
import { type AnyPgDatabase, prepareStatements } from './statements.js'

export type { AnyPgDatabase } from './statements.js'

/** Options of {@link PgSessionStore}. */
export interface PgStoreOptions {
  /** Table-name prefix (default `baton_`); ignored when `tables` is given. */
  prefix?: string
  /** Your own Drizzle tables of the same shape as `pgTables()`. */
  tables?: PgBatonTables
}

/**
 * `SessionStore` on Postgres through Drizzle: works with `drizzle-orm/node-postgres`
 * (a `pg` Pool) and `drizzle-orm/pglite`. The rotation is one statement —
 * a conditional `UPDATE … WHERE used_at IS NULL … RETURNING` whose result
 * feeds the successor `INSERT` in the same statement — so it is atomic and
 * race-free across connections and processes, in one round trip.
 */
export class PgSessionStore implements SessionStore {
  readonly tables: PgBatonTables
  readonly #db: AnyPgDatabase
  readonly #q: ReturnType<typeof prepareStatements>

  constructor(db: AnyPgDatabase, options: PgStoreOptions = {}) {
    this.#db = db
    this.tables = options.tables ?? pgTables(options.prefix)
    this.#q = prepareStatements(db, this.tables, getTableName(this.tables.sessions))
  }

  async createSession(session: SessionRecord, token: RefreshTokenRecord): Promise<void> {
    await this.#db.transaction(async (tx) => {
      await tx.insert(this.tables.sessions).values(sessionValues(session, true) as never)
      await tx.insert(this.tables.refreshTokens).values(token)
    })
  }

  async findRefreshToken(hash: string): Promise<RefreshTokenWithSession | null> {
    const [row] = await this.#q.findToken.execute({ hash })
    return row ? { token: row.token, session: toSession(row.session as SessionRow) } : null
  }

  async rotateRefreshToken(input: RotateRefreshTokenInput): Promise<RotateRefreshTokenResult> {
    const [result] = await this.#q.rotate.execute({
      hash: input.hash,
      sessionId: input.sessionId,
      usedAt: input.usedAt,
      successorHash: input.successor.hash,
      createdAt: input.successor.createdAt,
      expiresAt: input.successor.expiresAt,
      lastUsedAt: input.session.lastUsedAt,
      sessionExpiresAt: input.session.expiresAt,
      userAgent: input.session.userAgent,
      ip: input.session.ip,
    })
    if (result && Number(result.won) === 1) return { status: 'rotated' }
    const [row] = await this.#q.findToken.execute({ hash: input.hash })
    return failedRotation(row?.token, row ? row.session.revokedAt !== null : undefined, input.sessionId)
  }

  async getSession(id: string): Promise<SessionRecord | null> {
    const [row] = await this.#q.getSession.execute({ id })
    return row ? toSession(row as SessionRow) : null
  }

  async listSessions(subject: string): Promise<SessionRecord[]> {
    const { sessions } = this.tables
    const rows = await this.#db
      .select()
      .from(sessions)
      .where(and(eq(sessions.subject, subject), isNull(sessions.revokedAt)))
    return rows.map((row) => toSession(row as SessionRow))
  }

  async revokeSession(id: string, revocation: Revocation): Promise<boolean> {
    const { sessions } = this.tables
    const rows = await this.#db
      .update(sessions)
      .set({ revokedAt: revocation.at, revokeReason: revocation.reason })
      .where(and(eq(sessions.id, id), isNull(sessions.revokedAt)))
      .returning({ id: sessions.id })
    return rows.length === 1
  }

  async revokeSubjectSessions(subject: string, revocation: Revocation & { exceptSessionId?: string }): Promise<number> {
    const { sessions } = this.tables
    const conditions = [eq(sessions.subject, subject), isNull(sessions.revokedAt)]
    if (revocation.exceptSessionId) conditions.push(ne(sessions.id, revocation.exceptSessionId))
    const rows = await this.#db
      .update(sessions)
      .set({ revokedAt: revocation.at, revokeReason: revocation.reason })
      .where(and(...conditions))
      .returning({ id: sessions.id })
    return rows.length
  }

  async updateSessionData(id: string, input: { data: string | null; expectedVersion: number }): Promise<number | null> {
    const { sessions } = this.tables
    const [row] = await this.#db
      .update(sessions)
      .set({ data: input.data, dataVersion: sql`${sessions.dataVersion} + 1` })
      .where(and(eq(sessions.id, id), eq(sessions.dataVersion, input.expectedVersion)))
      .returning({ version: sessions.dataVersion })
    return row ? row.version : null
  }

  async consumeRateLimit(input: RateLimitInput): Promise<RateLimitResult> {
    const [row] = await this.#q.consumeRateLimit.execute({ key: input.key, now: input.now, windowMs: input.windowMs })
    if (!row) throw new Error('Rate-limit upsert returned no row.')
    return { allowed: row.count <= input.limit, count: row.count, resetAt: row.windowStart + row.windowMs }
  }

  async resetRateLimit(key: string): Promise<void> {
    await this.#db.delete(this.tables.rateLimits).where(eq(this.tables.rateLimits.key, key))
  }

  async prune(input: PruneInput): Promise<PruneResult> {
    const { sessions, refreshTokens: tokens, rateLimits } = this.tables
    const cutoff = input.now - input.revokedRetentionMs
    const limit = input.batchSize
    const deleted = async (query: Promise<unknown[]>) => (await query).length
    return {
      refreshTokens: await deleted(
        this.#db
          .delete(tokens)
          .where(
            sql`${tokens.hash} IN (SELECT ${tokens.hash} FROM ${tokens} WHERE ${tokens.expiresAt} <= ${input.now} LIMIT ${limit})`,
          )
          .returning({ hash: tokens.hash }),
      ),
      sessions: await deleted(
        this.#db
          .delete(sessions)
          .where(
            sql`${sessions.id} IN (SELECT ${sessions.id} FROM ${sessions} WHERE (${sessions.revokedAt} IS NOT NULL AND ${sessions.revokedAt} <= ${cutoff})
              OR (${sessions.revokedAt} IS NULL AND LEAST(${sessions.expiresAt}, ${sessions.absoluteExpiresAt}) <= ${cutoff}) LIMIT ${limit})`,
          )
          .returning({ id: sessions.id }),
      ),
      rateLimits: await deleted(
        this.#db
          .delete(rateLimits)
          .where(
            sql`${rateLimits.key} IN (SELECT ${rateLimits.key} FROM ${rateLimits} WHERE ${rateLimits.windowStart} + ${rateLimits.windowMs} <= ${input.now} LIMIT ${limit})`,
          )
          .returning({ key: rateLimits.key }),
      ),
    }
  }
}
