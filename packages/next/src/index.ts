// Kept for existing imports: these live in `@baton/core/server` (and errors in `@baton/core`) now.
export { UpstreamSessionEndedError, UpstreamUnavailableError } from '@baton/core'
export {
  type AuthenticatedUser,
  type AuthServer,
  type BatonSession,
  type BatonUpstream,
  type CookieNames,
  type CookieSettings,
  type CorsHelpers,
  type CorsOptions,
  type Credentials,
  normalizeIp,
  type OidcClientAuth,
  type OidcInfo,
  type OidcOptions,
  type OidcProviderOptions,
  type OidcUserInput,
  oidcProviders,
  type PathRule,
  readCookie,
  STORE_SEALING_LABEL,
  type UpstreamCall,
  type UpstreamLoginResult,
  type UpstreamOptions,
  type UpstreamProtocol,
  type UpstreamSessionRef,
  type UpstreamTokenSet,
} from '@baton/core/server'
export type {
  AuthenticatedHandler,
  Baton,
  BatonActions,
  BatonPagesHelpers,
  BatonProxy,
  BatonRouteHandlers,
  BatonServerHelpers,
  SessionOptions,
  SignInResult,
} from './baton-api.js'
export { createBaton } from './create-baton.js'
export type { BatonOptions } from './options.js'
export { hashPassword, verifyPassword } from './passwords.js'
export { safeReturnPath } from './server/actions.js'
export type { BatonSharedConfig } from './shared-config.js'
export {
  COOKIE_SEALING_LABEL,
  createStorelessUpstream,
  type StorelessSession,
  type StorelessUpstream,
  type StorelessUpstreamOptions,
  type UpstreamFetch,
} from './upstream/storeless/create-storeless-upstream.js'
