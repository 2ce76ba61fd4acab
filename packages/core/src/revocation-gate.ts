import type { ResolvedEngineOptions } from './engine-options.js'
import { type RevocationFeed, RevocationSet } from './revocation-feed.js'

/** What a stateless check learns from the revocations: refuse, read the store, or go on. */
export type RevocationVerdict = 'revoked' | 'unknown' | 'ok'

/** The engine's side of a {@link RevocationFeed}: started on first use, published to on every revocation. */
export interface RevocationGate {
  /** Sessions just revoked here: into the local set at once, then to every instance. */
  revoked(sessionIds: readonly string[], now: number): void
  verdict(sessionId: string, now: number): RevocationVerdict
  /** The local set (for tests and diagnostics). */
  readonly set: RevocationSet
}

/** A gate over `options.revocations`, or undefined without a feed. */
export function createRevocationGate(options: ResolvedEngineOptions): RevocationGate | undefined {
  const feed = options.revocations
  if (!feed) return undefined
  const set = new RevocationSet()
  let started = false
  const start = () => {
    if (started) return
    started = true
    try {
      feed.start({ revoked: (entries) => set.add(entries), health: (ok) => (set.healthy = ok) })
    } catch (error) {
      console.error('[baton] the revocation feed did not start; checks read the store', error)
    }
  }
  // An access token lives `accessTokenTtl`, and is accepted `clockTolerance` longer.
  const lifetime = options.accessTokenTtlMs + options.clockTolerance * 1000
  return {
    set,
    revoked(sessionIds, now) {
      start()
      const entries = sessionIds.map((sessionId) => ({ sessionId, until: now + lifetime }))
      set.add(entries)
      feed.publish(entries).catch((error) => {
        // The store holds the revocation; other instances catch up from it when their feed recovers.
        console.warn('[baton] could not publish a revocation to the other instances', error)
      })
    },
    verdict(sessionId, now) {
      start()
      if (set.has(sessionId, now)) return 'revoked'
      return set.healthy ? 'ok' : 'unknown'
    },
  }
}
