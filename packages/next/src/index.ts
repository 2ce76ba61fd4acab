export type {
  AuthenticatedHandler,
  Baton,
  BatonActions,
  BatonPagesHelpers,
  BatonProxy,
  BatonRouteHandlers,
  BatonServerHelpers,
} from './baton-api.js'
export type { CookieNames, CookieSettings } from './cookies/cookie-settings.js'
export { readCookie } from './cookies/read-cookie.js'
export { createBaton } from './create-baton.js'
export { normalizeIp } from './http/client-ip.js'
export type { CorsHelpers, CorsOptions } from './http/cors.js'
export type { AuthenticatedUser, BatonOptions, Credentials, PathRule } from './options.js'
export { hashPassword, verifyPassword } from './passwords.js'
export { type SignInResult, safeReturnPath } from './server/actions.js'
export type { BatonSession, SessionOptions } from './server/session.js'
export type { BatonSharedConfig } from './shared-config.js'
export {
  type BatonUpstream,
  STORE_SEALING_LABEL,
  type UpstreamSessionRef,
} from './upstream/create-upstream.js'
export {
  COOKIE_SEALING_LABEL,
  createStorelessUpstream,
  type StorelessSession,
  type StorelessUpstream,
  type StorelessUpstreamOptions,
  type UpstreamFetch,
} from './upstream/storeless/create-storeless-upstream.js'
export { UpstreamSessionEndedError, UpstreamUnavailableError } from './upstream/upstream-errors.js'
export type {
  UpstreamCall,
  UpstreamLoginResult,
  UpstreamOptions,
  UpstreamProtocol,
  UpstreamTokenSet,
} from './upstream/upstream-options.js'
