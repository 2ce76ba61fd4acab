import type { Clock } from '../clock.js'
import { randomId } from '../internal/encoding.js'
import type { RefreshTokenRecord, SessionRecord } from '../session-store.js'

/** A clock tests move by hand. */
export interface ManualClock extends Clock {
  /** Moves time forward by `ms`. */
  advance(ms: number): void
  /** Jumps to an absolute time (ms). */
  set(ms: number): void
}

/** Creates a {@link ManualClock} starting at `start` (ms, default 2026-01-01). */
export function manualClock(start = Date.UTC(2026, 0, 1)): ManualClock {
  let now = start
  return {
    now: () => now,
    advance: (ms) => {
      now += ms
    },
    set: (ms) => {
      now = ms
    },
  }
}

/** A session record with sensible defaults, for store tests. */
export function sessionRecord(overrides: Partial<SessionRecord> = {}): SessionRecord {
  const now = overrides.createdAt ?? Date.UTC(2026, 0, 1)
  return {
    id: randomId(),
    subject: `user-${randomId(6)}`,
    user: { name: 'Ada Lovelace', email: 'ada@example.com', roles: ['admin'], n: 1, ok: true, none: null },
    createdAt: now,
    lastUsedAt: now,
    expiresAt: now + 7 * 86_400_000,
    absoluteExpiresAt: now + 30 * 86_400_000,
    revokedAt: null,
    revokeReason: null,
    userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Conformance/1.0',
    ip: '203.0.113.7',
    deviceId: null,
    data: null,
    dataVersion: 0,
    ...overrides,
  }
}

/** A refresh-token record for `session`, with a random hash. */
export function tokenRecord(session: SessionRecord, overrides: Partial<RefreshTokenRecord> = {}): RefreshTokenRecord {
  return {
    hash: randomId(32),
    sessionId: session.id,
    parentHash: null,
    successorHash: null,
    createdAt: session.createdAt,
    expiresAt: session.expiresAt,
    usedAt: null,
    ...overrides,
  }
}
