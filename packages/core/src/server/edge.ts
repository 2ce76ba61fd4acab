/**
 * `@baton/core/server/edge`: the part of the server layer a proxy on the Edge
 * runtime needs — cookie names, settings and instructions, the public origin,
 * path rules, JSON error answers, and which failures end a session. No store,
 * no engine, no Node import: `@baton/next/edge` is built on it.
 */
export {
  type CookieNames,
  type CookieSettings,
  cookieNames,
  resolveCookieSettings,
} from './cookies/cookie-settings.js'
export { readCookie, rewriteCookieHeader } from './cookies/read-cookie.js'
export {
  type CookieInstruction,
  clearedCookies,
  cookieToClear,
  cookieToSet,
  sessionCookies,
  toSetCookie,
} from './cookies/set-cookie.js'
export { type CorsOptions, type ResolvedCors, withCors } from './http/cors.js'
export { type OriginSettings, publicOriginOf, resolvePublicOrigin } from './http/public-origin.js'
export { empty, errorResponse, json } from './http/responses.js'
export { isTerminal, TERMINAL_CODES } from './operations/terminal-errors.js'
export type { PathRule } from './options.js'
export { MAX_REFRESH_LEEWAY, matcher } from './resolve-options.js'
