import {
  BatonError,
  type PruneInput,
  type PruneResult,
  type RateLimitInput,
  type RateLimitResult,
  type RefreshTokenRecord,
  type RefreshTokenWithSession,
  type Revocation,
  type RotateRefreshTokenInput,
  type RotateRefreshTokenResult,
  type SessionRecord,
  type SessionStore,
  StoreUnavailableError,
} from '@baton/core'

/** What a {@link LazySessionStore} opens on first use: the database and the store on it. */
export interface OpenedStore<Db> {
  db: Db
  store: SessionStore
}

/**
 * A `SessionStore` that opens its database — creates the file, migrates —
 * on its first call, not when it is constructed: an app creates its store
 * when `lib/baton.ts` is imported, and `next build` imports it too, where
 * nothing should touch a database. Concurrent first calls share one opening
 * (one migration); a failed opening is not kept, so the next call tries
 * again. A failure is logged (`[baton] could not open the <label>: …`) and
 * reaches callers as `StoreUnavailableError` (503, retryable), with the
 * driver's error as `cause` and no path or driver detail in its message.
 */
export class LazySessionStore<Db> implements SessionStore {
  readonly #open: () => Promise<OpenedStore<Db>>
  readonly #label: string
  #opening: Promise<OpenedStore<Db>> | undefined
  #opened: OpenedStore<Db> | undefined

  /** `label` names the database in errors, e.g. `SQLite database .data/baton.db`. */
  constructor(open: () => Promise<OpenedStore<Db>>, label: string) {
    this.#open = open
    this.#label = label
  }

  /** The opened, migrated database, for the app's own tables or an audit log; opens it if needed. */
  async database(): Promise<Db> {
    return (this.#opened ?? (await this.#load())).db
  }

  #load(): Promise<OpenedStore<Db>> {
    this.#opening ??= this.#open().then(
      (opened) => {
        this.#opened = opened
        return opened
      },
      (error: unknown) => {
        this.#opening = undefined
        if (error instanceof BatonError) throw error
        // The detail (paths, driver messages) goes to the server log; clients may see this message.
        console.error(`[baton] could not open the ${this.#label}:`, error)
        throw new StoreUnavailableError('The session store could not be opened; see the server log.', { cause: error })
      },
    )
    return this.#opening
  }

  async #store(): Promise<SessionStore> {
    return (this.#opened ?? (await this.#load())).store
  }

  async createSession(session: SessionRecord, token: RefreshTokenRecord): Promise<void> {
    return (await this.#store()).createSession(session, token)
  }

  async findRefreshToken(hash: string): Promise<RefreshTokenWithSession | null> {
    return (await this.#store()).findRefreshToken(hash)
  }

  async rotateRefreshToken(input: RotateRefreshTokenInput): Promise<RotateRefreshTokenResult> {
    return (await this.#store()).rotateRefreshToken(input)
  }

  async getSession(id: string): Promise<SessionRecord | null> {
    return (await this.#store()).getSession(id)
  }

  async listSessions(subject: string): Promise<SessionRecord[]> {
    return (await this.#store()).listSessions(subject)
  }

  async revokeSession(id: string, revocation: Revocation): Promise<boolean> {
    return (await this.#store()).revokeSession(id, revocation)
  }

  async revokeSubjectSessions(subject: string, revocation: Revocation & { exceptSessionId?: string }): Promise<number> {
    return (await this.#store()).revokeSubjectSessions(subject, revocation)
  }

  async updateSessionData(id: string, input: { data: string | null; expectedVersion: number }): Promise<number | null> {
    return (await this.#store()).updateSessionData(id, input)
  }

  async consumeRateLimit(input: RateLimitInput): Promise<RateLimitResult> {
    return (await this.#store()).consumeRateLimit(input)
  }

  async resetRateLimit(key: string): Promise<void> {
    return (await this.#store()).resetRateLimit(key)
  }

  async prune(input: PruneInput): Promise<PruneResult> {
    return (await this.#store()).prune(input)
  }
}
