import type { CookieNames, CookieSettings } from './cookie-settings.js'

const EPOCH = 'Thu, 01 Jan 1970 00:00:00 GMT'

function attributes(settings: CookieSettings): string {
  return `Path=/; HttpOnly; SameSite=${settings.sameSite === 'strict' ? 'Strict' : 'Lax'}${settings.secure ? '; Secure' : ''}`
}

/** A `Set-Cookie` value that lives until `expiresAt` (ms). */
export function serializeCookie(
  name: string,
  value: string,
  expiresAt: number,
  now: number,
  settings: CookieSettings,
): string {
  const maxAge = Math.max(0, Math.floor((expiresAt - now) / 1000))
  return `${name}=${value}; Max-Age=${maxAge}; Expires=${new Date(now + maxAge * 1000).toUTCString()}; ${attributes(settings)}`
}

/** A `Set-Cookie` value that deletes the cookie. */
export function clearCookie(name: string, settings: CookieSettings): string {
  return `${name}=; Max-Age=0; Expires=${EPOCH}; ${attributes(settings)}`
}

/** The tokens a response hands out. */
export interface TokenCookies {
  accessToken: string
  accessTokenExpiresAt: number
  refreshToken: string
  refreshTokenExpiresAt: number
}

/** `Set-Cookie` values for a fresh token pair. */
export function sessionCookies(
  names: CookieNames,
  tokens: TokenCookies,
  now: number,
  settings: CookieSettings,
): string[] {
  return [
    serializeCookie(names.access, tokens.accessToken, tokens.accessTokenExpiresAt, now, settings),
    serializeCookie(names.refresh, tokens.refreshToken, tokens.refreshTokenExpiresAt, now, settings),
  ]
}

/** `Set-Cookie` values that sign the browser out. */
export function clearedCookies(names: CookieNames, settings: CookieSettings): string[] {
  return [clearCookie(names.access, settings), clearCookie(names.refresh, settings)]
}
