import type { BatonEventHandler } from '@baton/core'
import { type SqliteBatonTables, sqliteTables } from './schema.js'
import type { AnySqliteDatabase } from './statements.js'

/**
 * An `onEvent` handler that appends each event to `<prefix>audit_events`
 * (sign-ins, refreshes, reuse, sign-outs, revocations; never a token).
 * A failed insert is reported by the engine and never fails the request.
 */
export function sqliteAuditLog(
  db: AnySqliteDatabase,
  options: { prefix?: string; tables?: SqliteBatonTables } = {},
): BatonEventHandler {
  const { auditEvents } = options.tables ?? sqliteTables(options.prefix)
  const insert = db.insert(auditEvents)
  return (event) => {
    insert
      .values({
        type: event.type,
        at: event.at,
        subject: event.subject,
        sessionId: event.sessionId,
        reason: event.reason ?? null,
        graced: event.graced ?? null,
        ip: event.ip ?? null,
        userAgent: event.userAgent ?? null,
      })
      .run()
  }
}
