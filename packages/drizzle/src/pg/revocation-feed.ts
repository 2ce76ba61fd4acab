import type { RevocationEntry, RevocationFeed, RevocationListener } from '@baton/core'

/** The part of a `pg` Pool or Client the feed uses. */
export interface PgQueryable {
  query(text: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>
}

/** A dedicated connection for `LISTEN` (a connected `pg.Client`). */
export interface PgListenClient extends PgQueryable {
  on(event: 'notification', listener: (message: { channel: string; payload?: string }) => void): unknown
  on(event: 'error' | 'end', listener: (error?: unknown) => void): unknown
  end(): Promise<void>
}

/** Options of {@link createPgRevocationFeed}. */
export interface PgRevocationFeedOptions {
  /** Queries (publish, catch-up): the app's `pg` Pool. */
  pool: PgQueryable
  /** Opens the dedicated `LISTEN` connection (again after a loss): e.g. `async () => { const c = new pg.Client(url); await c.connect(); return c }`. */
  listen: () => Promise<PgListenClient>
  /** The sessions table, as the store names it (`store.tables`: `getTableName(store.tables.sessions)`). Default `baton_sessions`. */
  sessionsTable?: string
  /** The channel. Default `baton_revocations`. */
  channel?: string
  /** Seconds an access token may outlive its session's revocation: the app's `accessTokenTtl` (+ clock tolerance). Default 905. */
  lookback?: number
}

/** NOTIFY payloads stay under Postgres's 8000-byte limit. */
const MAX_PAYLOAD = 7900

/** Splits entries into NOTIFY payloads (`[[sessionId, until], …]`) within the size limit. */
export function notifyPayloads(entries: readonly RevocationEntry[]): string[] {
  const payloads: string[] = []
  let batch: [string, number][] = []
  let size = 2
  for (const { sessionId, until } of entries) {
    const item = JSON.stringify([sessionId, until]).length + 1
    if (batch.length > 0 && size + item > MAX_PAYLOAD) {
      payloads.push(JSON.stringify(batch))
      batch = []
      size = 2
    }
    batch.push([sessionId, until])
    size += item
  }
  if (batch.length > 0) payloads.push(JSON.stringify(batch))
  return payloads
}

function parsePayload(payload: string | undefined): RevocationEntry[] {
  try {
    const value: unknown = JSON.parse(payload ?? '')
    if (!Array.isArray(value)) return []
    return value.flatMap((item) =>
      Array.isArray(item) && typeof item[0] === 'string' && typeof item[1] === 'number'
        ? [{ sessionId: item[0], until: item[1] }]
        : [],
    )
  } catch {
    return []
  }
}

/**
 * Revocations over Postgres `LISTEN`/`NOTIFY`: each revocation is published
 * (batched within the payload limit) to every instance listening on the
 * channel. A lost `LISTEN` connection is noticed (`error`/`end`): the feed
 * reports itself unhealthy — stateless checks then read the store — reconnects
 * with backoff, catches up from the sessions table (revoked since a little
 * before the loss) and only then reports healthy again. It never fails open.
 */
export function createPgRevocationFeed(options: PgRevocationFeedOptions): RevocationFeed {
  const channel = options.channel ?? 'baton_revocations'
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(channel)) throw new TypeError('`channel` must be a lower-case SQL identifier.')
  const table = options.sessionsTable ?? 'baton_sessions'
  if (!/^[A-Za-z_][A-Za-z0-9_.]{0,126}$/.test(table)) throw new TypeError('`sessionsTable` is not a table name.')
  const lookbackMs = (options.lookback ?? 905) * 1000
  return {
    async publish(entries) {
      for (const payload of notifyPayloads(entries)) {
        await options.pool.query('SELECT pg_notify($1, $2)', [channel, payload])
      }
    },
    start(listener: RevocationListener) {
      let stopped = false
      let client: PgListenClient | undefined
      let seenUpTo = Date.now() - lookbackMs
      let delay = 100
      const lost = () => {
        if (stopped) return
        listener.health(false)
        client = undefined
        setTimeout(connect, delay).unref?.()
        delay = Math.min(delay * 2, 2000)
      }
      let fail: (() => void) | undefined
      const connect = async () => {
        if (stopped) return
        let failThis: (() => void) | undefined
        try {
          const c = await options.listen()
          let down = false
          failThis = () => {
            if (down) return
            down = true
            c.end().catch(() => undefined)
            lost()
          }
          fail = failThis
          c.on('error', () => failThis?.())
          c.on('end', () => failThis?.())
          c.on('notification', (message) => {
            if (message.channel === channel) listener.revoked(parsePayload(message.payload))
          })
          await c.query(`LISTEN ${channel}`)
          // Listening now: whatever was revoked while we were not is in the store.
          const { rows } = await options.pool.query(
            `SELECT id, revoked_at FROM ${table} WHERE revoked_at IS NOT NULL AND revoked_at >= $1`,
            [seenUpTo - 1000],
          )
          listener.revoked(
            rows.map((row) => ({ sessionId: String(row.id), until: Number(row.revoked_at) + lookbackMs })),
          )
          if (down || stopped) return
          client = c
          delay = 100
          listener.health(true)
        } catch {
          // The connection (or the catch-up) failed: that connection is lost, once.
          if (failThis) failThis()
          else lost()
        }
      }
      // A heartbeat on the LISTEN connection: Postgres sends it every notification queued before
      // the answer, so when `SELECT 1` answers, everything published before it was sent has
      // arrived. No answer within a second: the connection is treated as lost (a silent network
      // failure is noticed within about two seconds, not at the next TCP timeout).
      const tick = setInterval(async () => {
        const c = client
        if (!c) return
        const sentAt = Date.now()
        const answered = await Promise.race([
          c.query('SELECT 1').then(
            () => true,
            () => false,
          ),
          new Promise<boolean>((resolve) => setTimeout(resolve, 1000, false).unref?.()),
        ])
        if (c !== client) return
        if (answered) seenUpTo = sentAt
        else fail?.()
      }, 1000)
      tick.unref?.()
      void connect()
      return async () => {
        stopped = true
        clearInterval(tick)
        await client?.end().catch(() => undefined)
      }
    },
  }
}
