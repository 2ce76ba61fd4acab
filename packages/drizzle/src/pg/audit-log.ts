import type { BatonEventHandler } from '@baton/core'
import { type PgBatonTables, pgTables } from './schema.js'
import type { AnyPgDatabase } from './statements.js'

/**
 * An `onEvent` handler that appends each event to `<prefix>audit_events`
 * (sign-ins, refreshes, reuse, sign-outs, revocations; never a token). The
 * insert runs in the background; a failure is logged by the engine and never
 * fails or slows the request.
 */
export function pgAuditLog(
  db: AnyPgDatabase,
  options: { prefix?: string; tables?: PgBatonTables } = {},
): BatonEventHandler {
  const { auditEvents } = options.tables ?? pgTables(options.prefix)
  return async (event) => {
    await db.insert(auditEvents).values({
      type: event.type,
      at: event.at,
      subject: event.subject,
      sessionId: event.sessionId,
      reason: event.reason ?? null,
      graced: event.graced ?? null,
      ip: event.ip ?? null,
      userAgent: event.userAgent ?? null,
    })
  }
}
