// The types of ./oidc-provider.js (a real oidc-provider 8 for relying-party tests), re-exported by ./index.d.ts.
import type { CookieJar } from './sign-in-types.js'

/** oidc-provider client metadata (snake_case, as registered). Defaults added: `grant_types` authorization_code + refresh_token, `response_types` code. */
export interface OidcClientMetadata {
  client_id: string
  /** Confidential clients; omit with `token_endpoint_auth_method: 'none'` (public) or `'private_key_jwt'`. */
  client_secret?: string
  token_endpoint_auth_method?: 'client_secret_basic' | 'client_secret_post' | 'private_key_jwt' | 'none'
  redirect_uris?: string[]
  post_logout_redirect_uris?: string[]
  grant_types?: string[]
  response_types?: string[]
  backchannel_logout_uri?: string
  /** When true, ID tokens carry `sid` and so do logout tokens. oidc-provider's default: false. */
  backchannel_logout_session_required?: boolean
  /** Public keys for `private_key_jwt`. */
  jwks?: { keys: Record<string, unknown>[] }
  [metadata: string]: unknown
}

/** The client registered when `clients` is not given (plus `redirectUris` and friends from the options). */
export const DEFAULT_OIDC_CLIENT: Readonly<{
  client_id: 'baton-test'
  client_secret: 'baton-test-secret-0123456789abcdef0123456789'
  token_endpoint_auth_method: 'client_secret_basic'
}>

/** Options of {@link startOidcProvider}. */
export interface StartOidcProviderOptions {
  /** Every client, in full. Default: {@link DEFAULT_OIDC_CLIENT} with the three options below. */
  clients?: OidcClientMetadata[]
  /** The default client's redirect URIs (default `['http://127.0.0.1/callback']`). */
  redirectUris?: string[]
  /** The default client's post-logout redirect URIs (default none). */
  postLogoutRedirectUris?: string[]
  /** The default client's back-channel logout URI (default none); sets `backchannel_logout_session_required` (ID tokens get `sid`). */
  backchannelLogoutUri?: string
  /** Access token lifetime in seconds (default 60). ID tokens live an hour. */
  accessTokenTtl?: number
  /** Refresh token (and grant) lifetime in seconds (default 30 days). */
  refreshTokenTtl?: number
  /** Whether refresh tokens rotate on every use (default true); false answers refreshes without a new refresh token. */
  rotateRefreshTokens?: boolean
  /** Whether the introspection endpoint is on (default true; any authenticated client may introspect). */
  introspection?: boolean
  /** Default: a free port. */
  port?: number
}

/** What the provider's endpoints saw (live counters; injected failures only count in `injected`). */
export interface OidcCounts {
  /** POST /token with grant_type=authorization_code (successful or not). */
  authorizationCode: number
  /** POST /token with grant_type=refresh_token (successful or not). */
  refreshToken: number
  /** POST /token/revocation. */
  revocation: number
  /** POST /token/introspection. */
  introspection: number
  /** Requests answered by {@link OidcProviderFixture.failNext} instead of the provider. */
  injected: number
}

/** Something the provider did, in order. */
export interface OidcEvent {
  /**
   * `grant.revoked` (all tokens of a grant destroyed), `refresh_token.consumed` (rotated),
   * `refresh_token.reused` (an already rotated refresh token came back: its grant is revoked),
   * `grant.error` (any error at the token endpoint), `backchannel.success` / `backchannel.error`.
   */
  type:
    | 'grant.revoked'
    | 'refresh_token.consumed'
    | 'refresh_token.reused'
    | 'grant.error'
    | 'backchannel.success'
    | 'backchannel.error'
  grantId?: string
  clientId?: string
  /** The OAuth error code (`invalid_grant`, …). */
  error?: string
  /** The error's detail (the answer carries only a generic `error_description`), e.g. `refresh token already used`. */
  description?: string
  sub?: string
  sid?: string
}

/** Options of {@link OidcProviderFixture.failNext}. */
export interface FailNextOptions {
  endpoint: 'token' | 'revocation' | 'introspection' | 'userinfo'
  /** Default 503; the body is `{ error: 'temporarily_unavailable' }` JSON. */
  status?: number
  /** How many of the next requests to that endpoint fail (default 1). */
  times?: number
}

/** Options of {@link OidcProviderFixture.backchannelLogout}. */
export interface BackchannelLogoutOptions {
  /** The account (the login name). */
  sub: string
  /** The session: the `sid` claim of the ID token (sent when the client requires it). */
  sid?: string
  /** Default: every client with a `backchannel_logout_uri`. */
  clientIds?: string[]
}

/** One logout token POSTed by {@link OidcProviderFixture.backchannelLogout}. */
export interface BackchannelLogoutResult {
  clientId: string
  uri: string
  /** Whether the client answered 200 or 204. */
  ok: boolean
  error?: string
}

/** A running provider. */
export interface OidcProviderFixture {
  /** `http://127.0.0.1:<port>`; discovery at `${issuer}/.well-known/openid-configuration`. */
  issuer: string
  port: number
  /** The oidc-provider instance (untyped: the package ships no types). */
  // biome-ignore lint/suspicious/noExplicitAny: oidc-provider has no type declarations
  provider: any
  /** The registered clients, with defaults filled in. */
  clients: readonly OidcClientMetadata[]
  counts: OidcCounts
  events: OidcEvent[]
  /** The next `times` requests to `endpoint` get `status` without reaching the provider (replaces a pending failNext for it). */
  failNext(options: FailNextOptions): void
  /** Makes the provider POST a logout token (`client.backchannelLogout(sub, sid)`) to the clients' back-channel URIs. */
  backchannelLogout(options: BackchannelLogoutOptions): Promise<BackchannelLogoutResult[]>
  /** Stops listening and drops open connections. */
  close(): Promise<void>
}

/**
 * Starts oidc-provider 8 on 127.0.0.1 (node:http) with development sign-in pages: any login is an
 * account (`sub` = login, `name` = Login, `email` = login@example.com, verified). PKCE S256 is
 * required; refresh tokens are issued for `offline_access` (which oidc-provider keeps only with
 * `prompt=consent`) and rotated on every use; a rotated one presented again revokes the grant.
 */
export function startOidcProvider(options?: StartOidcProviderOptions): Promise<OidcProviderFixture>

/** Options of {@link signInAtProvider}. */
export interface SignInAtProviderOptions {
  /** Default `alice`. */
  login?: string
  /** Any value is accepted (default `any`). */
  password?: string
  /** The browser's cookies at the provider (default: a new jar); keep it for {@link signOutAtProvider}. */
  jar?: CookieJar
}

/**
 * Plays the browser at the provider's development pages: follows redirects (cookies kept per
 * host), submits the login and consent forms, and resolves with the redirect to the client's
 * `redirect_uri` (not fetched) — it carries `code`, `state` and `iss`, or `error`. Throws with the
 * page's text on anything else.
 */
export function signInAtProvider(authorizationUrl: string, options?: SignInAtProviderOptions): Promise<URL>

/**
 * RP-initiated logout as the browser: GETs `endSessionUrl` (`${issuer}/session/end?id_token_hint=…
 * &post_logout_redirect_uri=…&state=…`) with `jar`'s cookies, confirms the sign-out form, and
 * resolves with the redirect to `post_logout_redirect_uri` (not fetched), or the provider's
 * success page when there is none. The provider then sends back-channel logouts.
 */
export function signOutAtProvider(endSessionUrl: string, options: { jar: CookieJar }): Promise<URL>
