import type { ClientEvent, LockOutcome, RefreshCause } from './contract.js'

// Plain words for the codes the client reports, so the panel explains instead of listing codes.

const SIGN_OUT: Record<string, string> = {
  ERR_REFRESH_TOKEN_REUSED:
    'the refresh token was used twice (a stolen copy, or a race without the lock), so the session was ended',
  ERR_SESSION_REVOKED: 'the session was revoked from another device',
  ERR_SESSION_EXPIRED: 'the session expired',
  ERR_REFRESH_TOKEN_INVALID: 'the refresh token is expired or unknown to the server',
  ERR_UPSTREAM_SESSION_ENDED: 'the upstream (OpenID) provider ended the session',
}

/**
 * Why a `signed-out` event happened, as a sentence (any code: another tab
 * may run a newer client). `by`: the label of the tab a `from: 'tab'` came from, when known.
 */
export function signOutReason(event: { code?: string; from?: 'tab' }, by?: string): string {
  const why = event.code ? (SIGN_OUT[event.code] ?? `the server answered ${event.code}`) : null
  if (event.from === 'tab') {
    const who = by ? `Another tab (${by})` : 'Another tab'
    return why ? `${who} signed out: ${why}.` : `${who} signed out.`
  }
  return why
    ? `Signed out: ${why}.`
    : 'Signed out by the app (signOut(), an idle timeout), or the server saw no session.'
}

const CAUSES: Record<RefreshCause, string> = {
  timer: 'timer, before expiry',
  focus: 'window focus',
  online: 'back online',
  visibilitychange: 'tab shown again',
  token: 'getAccessToken found it expired',
  session: 'GET /session answered 401 on load',
  adopt: 'adopted a server session',
  retry: 'retry after an outage',
  call: 'the app called refresh()',
  axios: 'a 401 retried by @baton/axios',
}

/** What started a refresh. */
export const causeText = (cause: RefreshCause | undefined): string => (cause ? (CAUSES[cause] ?? cause) : '')

const LOCKS: Record<LockOutcome, string> = {
  held: 'held the lock',
  waited: 'waited for another tab',
  timeout: 'lock wait timed out, refreshed anyway',
  none: 'no Web Locks',
}

/** How a refresh related to the cross-tab lock. */
export const lockText = (lock: LockOutcome | undefined): string => (lock ? (LOCKS[lock] ?? lock) : '')

/** `ok`, `failed: CODE`, `signed out: CODE`… — the short result of an event. */
export function resultText(event: ClientEvent): string {
  const code = event.code ? `: ${event.code}` : ''
  if (event.type === 'refresh-failed') return `failed${code}`
  if (event.type === 'signed-out') return `signed out${code}`
  return event.shared ? "ok, another tab's session (no request)" : 'ok'
}
