import type { Query } from '@baton/test-kit'

/**
 * What must hold in Baton's tables at every instant a reader can observe,
 * however a writer died. Each entry is a query that returns the offending
 * rows (none when the invariant holds); the same SQL runs on SQLite and
 * Postgres. `baton_refresh_tokens.successor_hash` is written in the same
 * statement that marks a token used, so it is the index-friendly way to
 * find a token's child.
 */
export const INVARIANTS: Record<string, string> = {
  // The relay rule: a family never has two unused tokens.
  'family with two live tokens': `
    SELECT session_id, count(*) AS live FROM baton_refresh_tokens
    WHERE used_at IS NULL GROUP BY session_id HAVING count(*) > 1`,
  // A successor exists only if its parent was consumed, in the same commit.
  'token whose parent is unused': `
    SELECT c.hash FROM baton_refresh_tokens c
    LEFT JOIN baton_refresh_tokens p ON p.hash = c.parent_hash
    WHERE c.parent_hash IS NOT NULL
      AND (p.hash IS NULL OR p.used_at IS NULL OR p.successor_hash IS NULL OR p.successor_hash <> c.hash)`,
  // The converse: a consumed token always has its one successor row.
  'used token without its successor': `
    SELECT p.hash FROM baton_refresh_tokens p
    LEFT JOIN baton_refresh_tokens c ON c.hash = p.successor_hash
    WHERE p.used_at IS NOT NULL AND (c.hash IS NULL OR c.parent_hash IS NULL OR c.parent_hash <> p.hash)`,
  'token with two successors': `
    SELECT parent_hash FROM baton_refresh_tokens
    WHERE parent_hash IS NOT NULL GROUP BY parent_hash HAVING count(*) > 1`,
  // Sign-in writes the session and its first token together.
  'session without tokens': `
    SELECT s.id FROM baton_sessions s
    WHERE NOT EXISTS (SELECT 1 FROM baton_refresh_tokens t WHERE t.session_id = s.id)`,
  'family with more than one first token': `
    SELECT session_id FROM baton_refresh_tokens
    WHERE parent_hash IS NULL GROUP BY session_id HAVING count(*) > 1`,
  // The session row is touched in the same transaction as the rotation it records.
  'session touch not committed with its rotation': `
    SELECT s.id FROM baton_sessions s
    WHERE s.last_used_at <> (SELECT max(t.created_at) FROM baton_refresh_tokens t WHERE t.session_id = s.id)`,
}

/** Runs every invariant in one snapshot; returns the violations by name (empty when consistent). */
export async function findViolations(query: Query): Promise<Record<string, unknown[]>> {
  const violations: Record<string, unknown[]> = {}
  for (const [name, sql] of Object.entries(INVARIANTS)) {
    const rows = await query(sql)
    if (rows.length > 0) violations[name] = rows.slice(0, 5)
  }
  return violations
}

/** Table sizes, for the report. */
export async function counts(query: Query): Promise<{ sessions: number; tokens: number; revoked: number }> {
  const [row] = await query<{ sessions: number | string; tokens: number | string; revoked: number | string }>(`
    SELECT (SELECT count(*) FROM baton_sessions) AS sessions,
           (SELECT count(*) FROM baton_refresh_tokens) AS tokens,
           (SELECT count(*) FROM baton_sessions WHERE revoked_at IS NOT NULL) AS revoked`)
  return { sessions: Number(row?.sessions), tokens: Number(row?.tokens), revoked: Number(row?.revoked) }
}
