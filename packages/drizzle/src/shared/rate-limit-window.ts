import { type Column, type SQL, sql } from 'drizzle-orm'

/**
 * The `SET` of the rate-limit upsert, the same SQL in both dialects: when the
 * row's window has ended by the attempt's time (`excluded.window_start`), a new
 * window starts there with a count of 1; otherwise the count goes up by one.
 */
export function rateLimitWindowSet(t: { count: Column; windowStart: Column; windowMs: Column }): {
  count: SQL
  windowStart: SQL
  windowMs: SQL
} {
  const ended = sql`${t.windowStart} + ${t.windowMs} <= excluded.window_start`
  return {
    count: sql`CASE WHEN ${ended} THEN 1 ELSE ${t.count} + 1 END`,
    windowStart: sql`CASE WHEN ${ended} THEN excluded.window_start ELSE ${t.windowStart} END`,
    windowMs: sql`CASE WHEN ${ended} THEN excluded.window_ms ELSE ${t.windowMs} END`,
  }
}
