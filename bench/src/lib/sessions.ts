import { randomBytes } from 'node:crypto'
import type { RotateRefreshTokenInput } from '@baton/core'

const DAY = 86_400_000

/** `count` random base64url strings of `bytes` bytes each (token hashes are 32 bytes, like SHA-256). */
export function randomIds(count: number, bytes: number): string[] {
  const pool = randomBytes(count * bytes)
  const ids = new Array<string>(count)
  for (let i = 0; i < count; i++) ids[i] = pool.subarray(i * bytes, (i + 1) * bytes).toString('base64url')
  return ids
}

/** A population of live sessions, one unused refresh token each, as Baton would have written them. */
export interface Population {
  size: number
  now: number
  sessionIds: string[]
  tokenHashes: string[]
  /** Column values of session i (snake_case, as in both schemas). */
  session(i: number): {
    id: string
    subject: string
    user: string
    created_at: number
    last_used_at: number
    expires_at: number
    absolute_expires_at: number
    user_agent: string
    ip: string
  }
  /** Column values of token i. */
  token(i: number): { hash: string; session_id: string; created_at: number; expires_at: number }
}

export const USER_AGENT =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36'

export function population(size: number): Population {
  const now = Date.now()
  const sessionIds = randomIds(size, 16)
  const tokenHashes = randomIds(size, 32)
  return {
    size,
    now,
    sessionIds,
    tokenHashes,
    session: (i) => ({
      id: sessionIds[i]!,
      subject: `user-${i % 20_000}`,
      user: JSON.stringify({ id: `user-${i % 20_000}`, email: `user${i % 20_000}@example.com`, name: 'Bench User' }),
      created_at: now - DAY,
      last_used_at: now - DAY,
      expires_at: now + 6 * DAY,
      absolute_expires_at: now + 29 * DAY,
      user_agent: USER_AGENT,
      ip: '198.51.100.23',
    }),
    token: (i) => ({
      hash: tokenHashes[i]!,
      session_id: sessionIds[i]!,
      created_at: now - DAY,
      expires_at: now + 6 * DAY,
    }),
  }
}

/**
 * Hands out rotation inputs for the population's tokens in order, each token
 * once, so every rotation is the real path: a live, unused token and a fresh
 * successor. The inputs are built up front, outside the timed batches.
 */
export class RotationFeed {
  readonly #inputs: RotateRefreshTokenInput[]
  #next = 0

  constructor(pop: Population) {
    const successors = randomIds(pop.size, 32)
    const now = Date.now()
    this.#inputs = pop.tokenHashes.map((hash, i) => ({
      hash,
      sessionId: pop.sessionIds[i]!,
      usedAt: now,
      successor: {
        hash: successors[i]!,
        sessionId: pop.sessionIds[i]!,
        parentHash: hash,
        successorHash: null,
        createdAt: now,
        expiresAt: now + 7 * DAY,
        usedAt: null,
      },
      session: { lastUsedAt: now, expiresAt: now + 7 * DAY, userAgent: USER_AGENT, ip: '198.51.100.24' },
    }))
  }

  /** Tokens not handed out yet. */
  get remaining(): number {
    return this.#inputs.length - this.#next
  }

  get used(): number {
    return this.#next
  }

  take(): RotateRefreshTokenInput {
    const input = this.#inputs[this.#next++]
    if (!input) throw new Error('RotationFeed: out of fresh tokens; raise the population or lower the counts')
    return input
  }
}
