import { type Clock, ConfigError } from '../../index.js'
import { MAX_COOKIE_TOKEN_LENGTH } from '../context.js'
import type { CookieSettings } from '../cookies/cookie-settings.js'
import { readCookie } from '../cookies/read-cookie.js'
import { type CookieInstruction, cookieToClear, cookieToSet, toSetCookie } from '../cookies/set-cookie.js'
import type { ResolvedBatonOptions } from '../options.js'
import type { ResolvedUpstreamOptions } from '../upstream/upstream-options.js'
import type { CookieSession, CookieTokens } from './cookie-tokens.js'
import type { StorelessSession } from './storeless-api.js'

/** What the storeless variant's routes and wrappers share, resolved once by `createStorelessUpstream`. */
export interface StorelessContext {
  upstream: ResolvedUpstreamOptions
  tokens: CookieTokens
  /** The sealed cookie's name and attributes, and how long a browser keeps it (ms). */
  cookie: { name: string; settings: CookieSettings; maxAgeMs: number }
  /** What the same-origin check and the body reader need. */
  guard: Pick<ResolvedBatonOptions, 'allowedOrigins' | 'maxBodyBytes'>
  clock: Clock
  /** Rethrows a framework's control-flow signal (a redirect, a prerender bail-out); else returns. */
  rethrowControlFlow(error: unknown): void
}

/** The sealed cookie for `session`; a `ConfigError` where the sealed pair is too large for one cookie. */
export async function cookieFor(ctx: StorelessContext, session: CookieSession): Promise<CookieInstruction> {
  const value = await ctx.tokens.seal(session)
  if (value.length > MAX_COOKIE_TOKEN_LENGTH) {
    // Never a cookie the browser drops, or a Cookie header a server refuses with 431, later.
    throw new ConfigError(
      `The upstream's tokens, sealed, take ${value.length} bytes: more than one cookie holds (${MAX_COOKIE_TOKEN_LENGTH}). ` +
        'Keep them server-side instead: createBaton({ store, upstream }) seals them in the session store.',
    )
  }
  const now = ctx.clock.now()
  return cookieToSet(ctx.cookie.name, value, now + ctx.cookie.maxAgeMs, now, ctx.cookie.settings)
}

/** The instruction that deletes the sealed cookie. */
export function clearedCookie(ctx: StorelessContext): CookieInstruction {
  return cookieToClear(ctx.cookie.name, ctx.cookie.settings)
}

/** The session sealed in the request's cookie, or null without a (valid) one; not refreshed. */
export function readCookieSession(ctx: StorelessContext, request: { headers: Headers }): Promise<CookieSession | null> {
  return ctx.tokens.open(readCookie(request.headers.get('cookie'), ctx.cookie.name) ?? null)
}

/**
 * The request's session, refreshed when needed (`rejected`: an access token the
 * upstream refused, which forces a refresh); null without a (valid) cookie.
 */
export async function storelessSession(
  ctx: StorelessContext,
  request: { headers: Headers },
  rejected?: string,
): Promise<StorelessSession | null> {
  const current = await readCookieSession(ctx, request)
  if (!current) return null
  const { session: fresh, changed } = await ctx.tokens.fresh(current, rejected)
  return {
    user: fresh.user,
    accessToken: fresh.tokens.accessToken,
    setCookie: changed ? toSetCookie(await cookieFor(ctx, fresh)) : null,
  }
}
