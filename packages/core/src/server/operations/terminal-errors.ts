// Which refresh failures end a session. Its own module, on @baton/core/verify: the Edge proxy
// (through run-proxy.ts) needs it, and must not pull in the whole of @baton/core.
import { isBatonError } from '../../verify.js'

/** Codes after which the refresh cookie is worthless and is cleared. */
export const TERMINAL_CODES: ReadonlySet<string> = new Set([
  'ERR_REFRESH_TOKEN_MISSING',
  'ERR_REFRESH_TOKEN_INVALID',
  'ERR_REFRESH_TOKEN_REUSED',
  'ERR_SESSION_REVOKED',
  'ERR_SESSION_EXPIRED',
  'ERR_UPSTREAM_SESSION_ENDED',
  'ERR_REFRESH_DENIED',
])

/** True when an error means the session is over (as opposed to "try again"). */
export function isTerminal(error: unknown): boolean {
  return isBatonError(error) && TERMINAL_CODES.has(error.code)
}

/** The cookies a failed operation's answer carries: deletions when the session is over, else none. */
export function cookiesAfter<T>(error: unknown, clear: () => T[]): T[] {
  return isTerminal(error) ? clear() : []
}
