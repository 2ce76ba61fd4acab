/**
 * `@baton/core/server`: Baton's server, framework-free. `createAuthServer`
 * resolves the options once and owns the operations (sign in, refresh, sign
 * out, the current session, the device list, updating a session, JWKS) and a
 * Web-standard router for `/api/auth/*`. `@baton/next` is bindings over it;
 * any server that speaks `Request`/`Response` can mount it directly.
 */

export type { AuthServer, OidcInfo } from './auth-server.js'
export { MAX_COOKIE_TOKEN_LENGTH } from './context.js'
export { createAuthServer } from './create-auth-server.js'
export type { AuthenticatedUser, Credentials } from './credentials.js'
export * from './edge.js'
export { normalizeIp } from './http/client-ip.js'
export { APP_ROUTE_METHODS, type CorsHelpers, createCorsHelpers } from './http/cors.js'
export type { TokenSource } from './http/request-auth.js'
export { safeReturnPath } from './http/return-path.js'
export type { CredentialsVerifier, TokenKeeper } from './identity.js'
export {
  defaultOidcUser,
  type OidcClientAuth,
  type OidcOptions,
  type OidcProviderOptions,
  type OidcUserInput,
} from './oidc/oidc-options.js'
/** Presets for Keycloak, Auth0, Okta, Amazon Cognito, Microsoft Entra ID and Google: `oidcProviders.keycloak({ … })`. */
export {
  type Auth0PresetOptions,
  type CognitoPresetOptions,
  type EntraIdPresetOptions,
  type GooglePresetOptions,
  type KeycloakPresetOptions,
  type OidcPresetClient,
  type OidcPresetOverrides,
  type OktaPresetOptions,
  oidcProviders,
} from './oidc/presets.js'
export type { BatonSession, IssuedTokens, SessionPayload } from './operations/results.js'
export type { BatonOptions, FrameworkHooks, ResolvedBatonOptions } from './options.js'
export {
  COOKIE_SEALING_LABEL,
  createStorelessUpstream,
  type StorelessSession,
  type StorelessUpstream,
  type StorelessUpstreamOptions,
  type UpstreamFetch,
} from './storeless/create-storeless-upstream.js'
export { type BatonUpstream, STORE_SEALING_LABEL, type UpstreamSessionRef } from './upstream/create-upstream.js'
export type {
  ResolvedUpstreamOptions,
  UpstreamCall,
  UpstreamLoginResult,
  UpstreamOptions,
  UpstreamProtocol,
  UpstreamTokenSet,
} from './upstream/upstream-options.js'
