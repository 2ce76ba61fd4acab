import type { SessionRecord } from './session-store.js'

const MAX_ENTRIES = 10_000

/**
 * A short-lived cache of session lookups for strict access-token checks, so a
 * busy page does not hit the store on every request. Revocations made through
 * the same engine evict at once; others are seen within `ttlMs`.
 */
export class RevocationCache {
  readonly #ttlMs: number
  readonly #entries = new Map<string, { at: number; session: SessionRecord | null }>()

  constructor(ttlMs: number) {
    this.#ttlMs = ttlMs
  }

  /** The cached session (or null for missing), loading it when stale. */
  async get(id: string, now: number, load: () => Promise<SessionRecord | null>): Promise<SessionRecord | null> {
    const hit = this.#entries.get(id)
    if (hit && now - hit.at < this.#ttlMs) return hit.session
    const session = await load()
    if (this.#ttlMs > 0) {
      if (this.#entries.size >= MAX_ENTRIES) this.#entries.delete(this.#entries.keys().next().value as string)
      this.#entries.set(id, { at: now, session })
    }
    return session
  }

  /** Drops one entry (after a revocation through this engine). */
  forget(id: string): void {
    this.#entries.delete(id)
  }
}
