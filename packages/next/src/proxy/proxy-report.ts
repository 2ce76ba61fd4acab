// What the proxy did on a request, told to Baton's dev tools: a `Server-Timing` entry on every
// response it produces, and a short-lived readable cookie on a redirect (the page a redirect lands
// on cannot read the redirect's own headers). Only with the `devtools` option; nothing secret.
import { ConfigError, isBatonError } from '@baton/core/verify'

/**
 * What the proxy did: `verified` (valid access cookie, passed on), `refreshed` (rotated in place),
 * `redirected` (a page sent to sign-in), `denied` (an API path, or a request it cannot serve,
 * answered 4xx), `bearer` (a valid Bearer token, passed on), `kept` (no refresh possible, the
 * access cookie still valid, passed on), `unavailable` (refresh failed, nothing valid: 503),
 * `passed` (not protected: a preflight, an auth route, an unprotected path).
 */
export type ProxyAction =
  | 'verified'
  | 'refreshed'
  | 'redirected'
  | 'denied'
  | 'bearer'
  | 'kept'
  | 'unavailable'
  | 'passed'

/** A response of the proxy, with what it did and why (a short token or a BatonError code). */
export interface ProxyOutcome {
  response: Response
  action: ProxyAction
  reason: string
}

/** The readable cookie a sign-in redirect carries in dev-tools mode. */
export const DEVTOOLS_COOKIE = 'baton-devtools'

/** Seconds the dev-tools cookie lives: long enough to land on the sign-in page, no longer. */
const COOKIE_MAX_AGE = 60

// Written out as `process.env.NODE_ENV` so bundlers (Next) inline it; guarded for runtimes without `process`.
declare const process: { env: Record<string, string | undefined> } | undefined

/**
 * The `devtools` option: a boolean, by default on under `next dev` (`NODE_ENV=development`) and
 * off under `next build` / `next start`. Anything but a boolean fails at startup.
 */
export function resolveDevtools(value: boolean | undefined): boolean {
  if (value !== undefined && typeof value !== 'boolean') throw new ConfigError('`devtools` must be a boolean.')
  return value ?? (typeof process !== 'undefined' && process.env.NODE_ENV === 'development')
}

/** The code of what ended a request (`ERR_INTERNAL` for anything that is not a BatonError). */
export function reasonOf(error: unknown): string {
  return isBatonError(error) ? error.code : 'ERR_INTERNAL'
}

/** `baton;dur=<ms, 1 decimal>;desc="<action>:<reason>"`, one `Server-Timing` entry. */
export function serverTimingEntry(action: ProxyAction, reason: string, durationMs: number): string {
  const dur = Math.max(0, durationMs).toFixed(1)
  return `baton;dur=${dur};desc="${action}:${reason.replace(/["\\]/g, '')}"`
}

/** `Set-Cookie` for {@link DEVTOOLS_COOKIE}: URL-encoded JSON, readable by the page (not HttpOnly). */
export function devtoolsCookie(
  report: { action: ProxyAction; reason: string; path: string; at: number },
  secure: boolean,
): string {
  const value = encodeURIComponent(JSON.stringify(report))
  return `${DEVTOOLS_COOKIE}=${value}; Max-Age=${COOKIE_MAX_AGE}; Path=/; SameSite=Lax${secure ? '; Secure' : ''}`
}

/**
 * Adds the report to the outcome's response: a `Server-Timing` entry appended to any the response
 * already has, and on a redirect the dev-tools cookie. Returns the same response.
 */
export function reportOutcome(
  outcome: ProxyOutcome,
  context: { durationMs: number; pathname: string; at: number; secure: boolean },
): Response {
  const { response, action, reason } = outcome
  response.headers.append('server-timing', serverTimingEntry(action, reason, context.durationMs))
  if (action === 'redirected') {
    const report = { action, reason, path: context.pathname, at: context.at }
    response.headers.append('set-cookie', devtoolsCookie(report, context.secure))
  }
  return response
}
