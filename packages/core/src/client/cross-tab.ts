/** Messages tabs of one origin exchange about the session. */
export type TabMessage =
  | { type: 'session'; session: unknown }
  | { type: 'signed-out' }
  | { type: 'activity'; at: number }
  /** The server refused `request` for good: every tab shows the same error instead of asking again. */
  | { type: 'refused'; error: unknown; request: string }

/** A BroadcastChannel when the platform has one; a no-op otherwise. */
export interface TabChannel {
  post(message: TabMessage): void
  close(): void
}

/** The channel of a client without tabs (not started, `crossTab: false`, no BroadcastChannel). */
export const NO_TAB_CHANNEL: TabChannel = { post() {}, close() {} }

/** Opens the channel tabs use to share refreshed sessions, sign-outs and refusals. */
export function openTabChannel(name: string, onMessage: (message: TabMessage) => void): TabChannel {
  if (typeof BroadcastChannel === 'undefined') return NO_TAB_CHANNEL
  const channel = new BroadcastChannel(name)
  // Anything without a known `type` (a stray post on the channel) matches no branch of the handler.
  channel.onmessage = (event: MessageEvent) => event.data && onMessage(event.data as TabMessage)
  return {
    post(message) {
      try {
        channel.postMessage(message)
      } catch {
        // A closed channel or an uncloneable value must never break the page.
      }
    },
    close: () => channel.close(),
  }
}

/**
 * How a wait for the cross-tab lock ended: `held` (got it), `waited` (stopped waiting because
 * another tab's result arrived), `timeout` (waited the whole timeout, went ahead without it),
 * `none` (no Web Locks here, or none to be had).
 */
export type TabLock = 'held' | 'waited' | 'timeout' | 'none'

declare const process: { env: Record<string, string | undefined> } | undefined

/** How long a tab keeps the lock after its task, so the result it posted reaches the other tabs first. */
const HOLD_MS = 100

const pause = () => new Promise<void>((resolve) => setTimeout(resolve, HOLD_MS))

/**
 * Runs `task` holding a Web Lock shared by the origin's tabs, so N tabs
 * refresh once. The wait is bounded by `timeoutMs`: a tab whose lock holder
 * hangs (a frozen tab, a stuck request) runs `task` anyway rather than hang —
 * the server's grace window keeps a rare double refresh harmless. `wake` lets
 * the caller stop waiting early (another tab's result arrived); `task` then
 * runs without the lock and should see that result. `task` is told how the
 * wait ended ({@link TabLock}). The lock is kept a moment
 * after `task` so that what it posted over BroadcastChannel arrives before the
 * next tab gets the lock. Without Web Locks (Node, React Native), `task` runs directly.
 */
export function withTabLock<T>(
  name: string,
  timeoutMs: number,
  task: (lock: TabLock) => Promise<T>,
  wake?: (stop: () => void) => () => void,
): Promise<T> {
  // Where Web Locks exist, so does AbortController (older).
  const locks = globalThis.navigator?.locks
  if (!locks) return task('none')
  return new Promise<T>((resolve, reject) => {
    const waiting = new AbortController()
    const stop = () => waiting.abort()
    const timer = setTimeout(() => waiting.abort(0), timeoutMs)
    const unwake = wake?.(stop)
    let ran = false
    const run = (lock: TabLock) => {
      ran = true
      clearTimeout(timer)
      unwake?.()
      const result = task(lock)
      result.then(resolve, reject)
      return result
    }
    const { signal } = waiting
    locks
      .request(name, { signal }, () => run('held').then(pause, pause))
      .catch(() => {
        // Timed out, woken, or no lock to be had (e.g. an opaque origin): go ahead without it.
        if (!ran)
          run(
            // What the lock's wait was is for the dev tools only (see auth-client.ts).
            typeof process !== 'undefined' && process.env.NODE_ENV !== 'production' && signal.aborted
              ? signal.reason === 0
                ? 'timeout'
                : 'waited'
              : 'none',
          ).catch(() => undefined)
      })
  })
}
