import type { JsonObject, RefreshTokenRecord, RotateRefreshTokenResult, SessionRecord } from '@baton/core'

/** A session row as both dialects select it (user is JSON text in SQLite, jsonb in Postgres). */
export type SessionRow = Omit<SessionRecord, 'user'> & { user: unknown }

/** Parses the user snapshot; anything but a JSON object reads as null. */
export function parseUser(value: unknown): JsonObject | null {
  let parsed = value
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value)
    } catch {
      return null
    }
  }
  return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as JsonObject) : null
}

/** A session record from a row. */
export function toSession(row: SessionRow): SessionRecord {
  return { ...row, user: parseUser(row.user) }
}

/** Column values of a session, with the user snapshot serialised for SQLite. */
export function sessionValues(session: SessionRecord, json: boolean): Record<string, unknown> {
  return { ...session, user: json ? session.user : session.user === null ? null : JSON.stringify(session.user) }
}

/**
 * After a rotation's compare-and-set matched no row, tells why from a fresh
 * read of the token and its session.
 */
export function failedRotation(
  token: RefreshTokenRecord | undefined,
  sessionRevoked: boolean | undefined,
  sessionId: string,
): RotateRefreshTokenResult {
  if (!token || token.sessionId !== sessionId || sessionRevoked === undefined) return { status: 'missing' }
  if (token.usedAt !== null) return { status: 'used', token }
  if (sessionRevoked) return { status: 'revoked' }
  return { status: 'missing' }
}
