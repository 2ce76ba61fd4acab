/** What happened, reported to `onEvent`. */
export type BatonEventType =
  | 'signed_in'
  | 'refreshed'
  | 'refresh_token_reused'
  | 'signed_out'
  | 'session_revoked'
  /** `updateSession` re-issued the access token with fresh claims. */
  | 'session_updated'

/** One event. Never contains a token, a hash or a secret. */
export interface BatonEvent {
  type: BatonEventType
  /** When it happened (ms since the epoch, from the engine's clock). */
  at: number
  subject: string
  sessionId: string
  /** For `refreshed`: true when a re-presented token got its successor back within the grace window. */
  graced?: boolean
  /** For revocations: why (`signed_out`, `revoked`, `refresh_token_reused`, …). */
  reason?: string
  ip?: string | null
  userAgent?: string | null
}

/** Receives events; errors it throws are caught and never affect the request. */
export type BatonEventHandler = (event: BatonEvent) => void | Promise<void>

/** Calls the handler without letting it break or slow down the caller. */
export function emit(handler: BatonEventHandler | undefined, event: BatonEvent): void {
  if (!handler) return
  try {
    const result = handler(event)
    if (result && typeof result.then === 'function') result.then(undefined, reportHandlerError)
  } catch (error) {
    reportHandlerError(error)
  }
}

function reportHandlerError(error: unknown): void {
  console.error('[baton] onEvent handler threw; the event was dropped.', error)
}
