import type { RevocationEntry, RevocationFeed, RevocationListener } from '@baton/core'
import type { RedisClientLike, RedisSubscriberLike } from './redis-client.js'

/** Options of {@link createRedisRevocationFeed}. */
export interface RedisRevocationFeedOptions {
  /** The app's connected node-redis client: publishes, catches up, and is duplicated for `SUBSCRIBE`. */
  client: RedisClientLike
  /** The pub/sub channel. Default `baton:revocations`. */
  channel?: string
  /** The sorted set that logs revocations for catch-up (score: until when, ms). Default `baton:revocations`. */
  key?: string
}

function parsePayload(payload: string): RevocationEntry[] {
  try {
    const value: unknown = JSON.parse(payload)
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

/** `ZRANGEBYSCORE … WITHSCORES` (RESP2: a flat list; RESP3: pairs) as entries. */
function parseRange(reply: unknown): RevocationEntry[] {
  if (!Array.isArray(reply)) return []
  const flat: unknown[] = reply.flat()
  const entries: RevocationEntry[] = []
  for (let i = 0; i + 1 < flat.length; i += 2) {
    const until = Number(flat[i + 1])
    if (Number.isFinite(until)) entries.push({ sessionId: String(flat[i]), until })
  }
  return entries
}

/**
 * Revocations over Redis pub/sub, with a sorted set as the catch-up log. A
 * publish is one `MULTI`: `ZADD` each revocation (score: until when its access
 * tokens may live), trim what has expired, `PUBLISH` the batch. Each instance
 * listens on a duplicate connection; when it is lost (`error`, `end`) the feed
 * reports itself unhealthy — stateless checks then read the store — opens a
 * new one with backoff, subscribes, reads the log, and only then reports
 * healthy again. It never fails open.
 */
export function createRedisRevocationFeed(options: RedisRevocationFeedOptions): RevocationFeed {
  const { client } = options
  const channel = options.channel ?? 'baton:revocations'
  const key = options.key ?? 'baton:revocations'
  return {
    async publish(entries) {
      if (entries.length === 0) return
      const multi = client.multi()
      for (const { sessionId, until } of entries) multi.addCommand(['ZADD', key, String(until), sessionId])
      multi.addCommand(['ZREMRANGEBYSCORE', key, '-inf', String(Date.now())])
      multi.addCommand(['PUBLISH', channel, JSON.stringify(entries.map((e) => [e.sessionId, e.until]))])
      await multi.exec()
    },
    start(listener: RevocationListener) {
      let stopped = false
      let current: RedisSubscriberLike | undefined
      let delay = 100
      const connect = async (): Promise<void> => {
        if (stopped) return
        // node-redis would reconnect (and resubscribe) by itself, silently; the feed does it
        // instead, so that it knows when the subscription and the catch-up are both done.
        const sub = client.duplicate({ socket: { reconnectStrategy: false } })
        let down = false
        const lost = () => {
          if (down) return
          down = true
          if (current === sub) current = undefined
          listener.health(false)
          sub.destroy()
          if (stopped) return
          ;(setTimeout(connect, delay) as { unref?: () => void }).unref?.()
          delay = Math.min(delay * 2, 2000)
        }
        sub.on('error', lost)
        sub.on('end', lost)
        try {
          await sub.connect()
          await sub.subscribe(channel, (message) => listener.revoked(parsePayload(message)))
          // Subscribed now: whatever was revoked before is in the log.
          const reply = await client.sendCommand(['ZRANGEBYSCORE', key, String(Date.now()), '+inf', 'WITHSCORES'])
          listener.revoked(parseRange(reply))
          if (down || stopped) {
            if (stopped) sub.destroy()
            return
          }
          current = sub
          delay = 100
          listener.health(true)
        } catch {
          lost()
        }
      }
      void connect()
      return async () => {
        stopped = true
        const sub = current
        current = undefined
        if (!sub) return
        await sub.unsubscribe(channel).catch(() => undefined)
        await sub.close().catch(() => sub.destroy())
      }
    },
  }
}
