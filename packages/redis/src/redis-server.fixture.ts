import { randomBytes } from 'node:crypto'
import { createClient } from 'redis'

/** The Redis server the tests use. */
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'

/** Whether the server answers (a `PING` within a second). */
export async function redisAvailable(): Promise<boolean> {
  const client = createClient({ url: REDIS_URL, socket: { connectTimeout: 1000, reconnectStrategy: false } })
  client.on('error', () => undefined)
  try {
    await client.connect()
    await client.ping()
    return true
  } catch {
    return false
  } finally {
    client.destroy()
  }
}

/** A random prefix for one test run's keys and channels. */
export function testPrefix(): string {
  return `baton-test:${randomBytes(6).toString('hex')}:`
}

/** Deletes every key under `prefix` (test keys only: `KEYS` is fine here). */
export async function deleteKeys(
  client: { sendCommand(args: string[]): Promise<unknown> },
  prefix: string,
): Promise<void> {
  const keys = (await client.sendCommand(['KEYS', `${prefix}*`])) as string[]
  if (keys.length > 0) await client.sendCommand(['DEL', ...keys])
}
