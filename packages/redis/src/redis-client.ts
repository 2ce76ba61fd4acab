/**
 * The parts of a node-redis client (`createClient()` from `redis`) that this
 * package uses, structurally: any `RedisClientType` fits, whatever modules,
 * scripts or RESP version it was created with.
 */

/** A transaction being built (`client.multi()`). */
export interface RedisMultiLike {
  addCommand(args: string[]): unknown
  exec(): Promise<unknown>
}

/** A dedicated connection for `SUBSCRIBE` (`client.duplicate()`). */
export interface RedisSubscriberLike {
  connect(): Promise<unknown>
  subscribe(channel: string, listener: (message: string) => void): Promise<unknown>
  unsubscribe(channel: string): Promise<unknown>
  close(): Promise<unknown>
  destroy(): unknown
  // biome-ignore lint/suspicious/noExplicitAny: node-redis's event listeners take varied arguments
  on(event: string, listener: (...args: any[]) => void): unknown
}

/** A connected node-redis client. */
export interface RedisClientLike {
  sendCommand(args: string[]): Promise<unknown>
  multi(): RedisMultiLike
  duplicate(overrides: { socket: { reconnectStrategy: false } }): RedisSubscriberLike
}
