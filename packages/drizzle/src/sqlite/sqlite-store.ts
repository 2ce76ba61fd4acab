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
import { and, eq, isNull, ne, sql } from 'drizzle-orm'
import { failedRotation, type SessionRow, sessionValues, toSession } from '../shared/records.js'
import { groupedCommit } from './grouped-commit.js'
import { type SqliteBatonTables, sqliteTables } from './schema.js'
import { type AnySqliteDatabase, prepareStatements } from './statements.js'

export type { AnySqliteDatabase } from './statements.js'

/** Options of {@link SqliteSessionStore}. */
export interface SqliteStoreOptions {
  /** Table-name prefix (default `baton_`); ignored when `tables` is given. */
  prefix?: string
  /** Your own Drizzle tables of the same shape as `sqliteTables()`. */
  tables?: SqliteBatonTables
}

/**
 * `SessionStore` on SQLite through Drizzle and better-sqlite3. Every write
 * that must be atomic runs in a `BEGIN IMMEDIATE` transaction, so several
 * processes can share one database file: open it with
 * {@link openSqliteDatabase} (WAL, `busy_timeout`, foreign keys). The
 * rotations asked for during one turn of the event loop (a busy server's
 * concurrent refreshes) share one such transaction, each in its own
 * savepoint: one commit instead of several, each still a compare-and-set.
 */
export class SqliteSessionStore implements SessionStore {
  readonly tables: SqliteBatonTables
  readonly #db: AnySqliteDatabase
  readonly #q: ReturnType<typeof prepareStatements>
  readonly #rotate: (input: RotateRefreshTokenInput) => Promise<RotateRefreshTokenResult>

  constructor(db: AnySqliteDatabase, options: SqliteStoreOptions = {}) {
    this.#db = db
    this.tables = options.tables ?? sqliteTables(options.prefix)
    this.#q = prepareStatements(db, this.tables)
    // Rotations asked for in one turn of the event loop share a commit (grouped-commit.ts).
    this.#rotate = groupedCommit(db.$client, (input: RotateRefreshTokenInput) => this.#rotateInTransaction(input))
  }

  async createSession(session: SessionRecord, token: RefreshTokenRecord): Promise<void> {
    this.#db.transaction(
      (tx) => {
        tx.insert(this.tables.sessions)
          .values(sessionValues(session, false) as never)
          .run()
        this.#q.insertToken.run({ ...token })
      },
      { behavior: 'immediate' },
    )
  }

  async findRefreshToken(hash: string): Promise<RefreshTokenWithSession | null> {
    const row = this.#q.findToken.get({ hash })
    return row ? { token: row.token, session: toSession(row.session as SessionRow) } : null
  }

  rotateRefreshToken(input: RotateRefreshTokenInput): Promise<RotateRefreshTokenResult> {
    return this.#rotate(input)
  }

  #rotateInTransaction(input: RotateRefreshTokenInput): RotateRefreshTokenResult {
    const won = this.#q.markUsed.get({
      hash: input.hash,
      sessionId: input.sessionId,
      usedAt: input.usedAt,
      successorHash: input.successor.hash,
    })
    if (!won) {
      const row = this.#q.findToken.get({ hash: input.hash })
      return failedRotation(row?.token, row ? row.session.revokedAt !== null : undefined, input.sessionId)
    }
    this.#q.insertToken.run({ ...input.successor })
    this.#q.touchSession.run({ id: input.sessionId, ...input.session })
    return { status: 'rotated' }
  }

  async getSession(id: string): Promise<SessionRecord | null> {
    const row = this.#q.getSession.get({ id })
    return row ? toSession(row as SessionRow) : null
  }

  async listSessions(subject: string): Promise<SessionRecord[]> {
    const { sessions } = this.tables
    const rows = this.#db
      .select()
      .from(sessions)
      .where(and(eq(sessions.subject, subject), isNull(sessions.revokedAt)))
      .all()
    return rows.map((row) => toSession(row as SessionRow))
  }

  async revokeSession(id: string, revocation: Revocation): Promise<boolean> {
    const { sessions } = this.tables
    const rows = this.#db
      .update(sessions)
      .set({ revokedAt: revocation.at, revokeReason: revocation.reason })
      .where(and(eq(sessions.id, id), isNull(sessions.revokedAt)))
      .returning({ id: sessions.id })
      .all()
    return rows.length === 1
  }

  async revokeSubjectSessions(subject: string, revocation: Revocation & { exceptSessionId?: string }): Promise<number> {
    const { sessions } = this.tables
    const conditions = [eq(sessions.subject, subject), isNull(sessions.revokedAt)]
    if (revocation.exceptSessionId) conditions.push(ne(sessions.id, revocation.exceptSessionId))
    const rows = this.#db
      .update(sessions)
      .set({ revokedAt: revocation.at, revokeReason: revocation.reason })
      .where(and(...conditions))
      .returning({ id: sessions.id })
      .all()
    return rows.length
  }

  async updateSessionData(id: string, input: { data: string | null; expectedVersion: number }): Promise<number | null> {
    const { sessions } = this.tables
    const row = this.#db
      .update(sessions)
      .set({ data: input.data, dataVersion: sql`${sessions.dataVersion} + 1` })
      .where(and(eq(sessions.id, id), eq(sessions.dataVersion, input.expectedVersion)))
      .returning({ version: sessions.dataVersion })
      .get()
    return row ? row.version : null
  }

  async consumeRateLimit(input: RateLimitInput): Promise<RateLimitResult> {
    const row = this.#q.consumeRateLimit.get({ key: input.key, now: input.now, windowMs: input.windowMs })
    if (!row) throw new Error('Rate-limit upsert returned no row.')
    return { allowed: row.count <= input.limit, count: row.count, resetAt: row.windowStart + row.windowMs }
  }

  async resetRateLimit(key: string): Promise<void> {
    this.#db.delete(this.tables.rateLimits).where(eq(this.tables.rateLimits.key, key)).run()
  }

  async prune(input: PruneInput): Promise<PruneResult> {
    const { sessions, refreshTokens: tokens, rateLimits } = this.tables
    const cutoff = input.now - input.revokedRetentionMs
    const limit = input.batchSize
    const expiredTokens = this.#db
      .select({ hash: tokens.hash })
      .from(tokens)
      .where(sql`${tokens.expiresAt} <= ${input.now}`)
      .limit(limit)
    const endedSessions = this.#db
      .select({ id: sessions.id })
      .from(sessions)
      .where(
        sql`(${sessions.revokedAt} IS NOT NULL AND ${sessions.revokedAt} <= ${cutoff}) OR (${sessions.revokedAt} IS NULL AND min(${sessions.expiresAt}, ${sessions.absoluteExpiresAt}) <= ${cutoff})`,
      )
      .limit(limit)
    const staleLimits = this.#db
      .select({ key: rateLimits.key })
      .from(rateLimits)
      .where(sql`${rateLimits.windowStart} + ${rateLimits.windowMs} <= ${input.now}`)
      .limit(limit)
    const count = (r: { changes: number }) => r.changes
    return {
      refreshTokens: count(this.#db.delete(tokens).where(sql`${tokens.hash} IN ${expiredTokens}`).run()),
      sessions: count(this.#db.delete(sessions).where(sql`${sessions.id} IN ${endedSessions}`).run()),
      rateLimits: count(this.#db.delete(rateLimits).where(sql`${rateLimits.key} IN ${staleLimits}`).run()),
    }
  }
}
