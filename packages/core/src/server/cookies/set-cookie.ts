import type { CookieNames, CookieSettings } from './cookie-settings.js'

const EPOCH = 0

/**
 * A cookie for the response to set, or with `maxAge: 0` to delete: what every
 * server operation returns beside its data. `toSetCookie` writes it as a
 * `Set-Cookie` value; a framework with a cookie API (Next's `cookies()`) takes
 * the fields as they are.
 */
export interface CookieInstruction {
  name: string
  /** Empty when the cookie is deleted. */
  value: string
  /** Seconds the cookie lives; 0 deletes it. */
  maxAge: number
  /** When it expires (ms since the epoch), in step with `maxAge`. */
  expires: number
  path: '/'
  httpOnly: true
  secure: boolean
  sameSite: 'lax' | 'strict'
}

/** A cookie that lives until `expiresAt` (ms). */
export function cookieToSet(
  name: string,
  value: string,
  expiresAt: number,
  now: number,
  settings: CookieSettings,
): CookieInstruction {
  const maxAge = Math.max(0, Math.floor((expiresAt - now) / 1000))
  return { name, value, maxAge, expires: now + maxAge * 1000, ...attributes(settings) }
}

/** A cookie deletion, with the attributes the cookie was set with. */
export function cookieToClear(name: string, settings: CookieSettings): CookieInstruction {
  return { name, value: '', maxAge: 0, expires: EPOCH, ...attributes(settings) }
}

function attributes(settings: CookieSettings): Pick<CookieInstruction, 'path' | 'httpOnly' | 'secure' | 'sameSite'> {
  return {
    path: '/',
    httpOnly: true,
    secure: settings.secure,
    sameSite: settings.sameSite === 'strict' ? 'strict' : 'lax',
  }
}

/** The `Set-Cookie` value of an instruction (never `Domain`). */
export function toSetCookie(cookie: CookieInstruction): string {
  const sameSite = cookie.sameSite === 'strict' ? 'Strict' : 'Lax'
  return `${cookie.name}=${cookie.value}; Max-Age=${cookie.maxAge}; Expires=${new Date(cookie.expires).toUTCString()}; Path=/; HttpOnly; SameSite=${sameSite}${cookie.secure ? '; Secure' : ''}`
}

/** A `Set-Cookie` value that lives until `expiresAt` (ms). */
export function serializeCookie(
  name: string,
  value: string,
  expiresAt: number,
  now: number,
  settings: CookieSettings,
): string {
  return toSetCookie(cookieToSet(name, value, expiresAt, now, settings))
}

/** A `Set-Cookie` value that deletes the cookie. */
export function clearCookie(name: string, settings: CookieSettings): string {
  return toSetCookie(cookieToClear(name, settings))
}

/** The tokens a response hands out. */
export interface TokenCookies {
  accessToken: string
  accessTokenExpiresAt: number
  refreshToken: string
  refreshTokenExpiresAt: number
}

/** The cookies of a fresh token pair. */
export function sessionCookies(
  names: CookieNames,
  tokens: TokenCookies,
  now: number,
  settings: CookieSettings,
): CookieInstruction[] {
  return [
    cookieToSet(names.access, tokens.accessToken, tokens.accessTokenExpiresAt, now, settings),
    cookieToSet(names.refresh, tokens.refreshToken, tokens.refreshTokenExpiresAt, now, settings),
  ]
}

/** The cookie deletions that sign a browser out. */
export function clearedCookies(names: CookieNames, settings: CookieSettings): CookieInstruction[] {
  return [cookieToClear(names.access, settings), cookieToClear(names.refresh, settings)]
}
