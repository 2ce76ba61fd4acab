/**
 * Revocations pushed to every instance, so that stateless access-token checks
 * refuse a revoked session at once instead of until the token expires. A
 * {@link RevocationFeed} carries them (Postgres LISTEN/NOTIFY, …); each
 * instance keeps a {@link RevocationSet} of the sessions revoked within an
 * access token's lifetime, and goes strict (reads the store) whenever the feed
 * cannot vouch for having seen every revocation: it never fails open.
 */

/** One revocation: the session, and until when an access token of it may still be alive (ms). */
export interface RevocationEntry {
  sessionId: string
  until: number
}

/** What a feed tells the instance that listens. */
export interface RevocationListener {
  /** Sessions revoked anywhere (this instance included). */
  revoked(entries: readonly RevocationEntry[]): void
  /**
   * `true` once the feed has seen every revocation up to now (connected and
   * caught up), `false` while it may have missed some (connection lost,
   * catching up): checks are strict meanwhile.
   */
  health(ok: boolean): void
}

/** A transport for revocations between the instances of one app. */
export interface RevocationFeed {
  /** Starts listening (called once, on first use); returns the function that stops it. */
  start(listener: RevocationListener): () => Promise<void> | void
  /** Tells every instance; may reject (the revocation stands in the store either way). */
  publish(entries: readonly RevocationEntry[]): Promise<void>
}

/** The instance's view: revoked sessions until their tokens expire, and whether the feed is healthy. */
export class RevocationSet {
  readonly #entries = new Map<string, number>()
  #healthy = false
  #sweepAt = 0

  get healthy(): boolean {
    return this.#healthy
  }

  set healthy(ok: boolean) {
    this.#healthy = ok
  }

  add(entries: readonly RevocationEntry[]): void {
    for (const { sessionId, until } of entries) {
      if (typeof sessionId !== 'string' || !Number.isFinite(until)) continue
      this.#entries.set(sessionId, Math.max(until, this.#entries.get(sessionId) ?? 0))
    }
  }

  /** True while `sessionId` was revoked and its access tokens may still be alive. */
  has(sessionId: string, now: number): boolean {
    if (now >= this.#sweepAt) this.#sweep(now)
    const until = this.#entries.get(sessionId)
    return until !== undefined && now < until
  }

  get size(): number {
    return this.#entries.size
  }

  /** Drops entries whose tokens have all expired (at most once a second). */
  #sweep(now: number): void {
    this.#sweepAt = now + 1000
    for (const [id, until] of this.#entries) if (until <= now) this.#entries.delete(id)
  }
}

/**
 * A feed for the engines of one process (tests, or several engines in one
 * server): what one publishes, all hear, at once. Healthy as soon as started.
 */
export function memoryRevocationHub(): { feed(): RevocationFeed } {
  const listeners = new Set<RevocationListener>()
  return {
    feed: () => ({
      start(listener) {
        listeners.add(listener)
        listener.health(true)
        return () => {
          listeners.delete(listener)
        }
      },
      async publish(entries) {
        for (const listener of listeners) listener.revoked(entries)
      },
    }),
  }
}
