import type { OidcProviderOptions } from './oidc-options.js'

/** Any `OidcProviderOptions` field, to override what a preset sets (`authorizationParams` are merged, yours win). */
export type OidcPresetOverrides = Partial<OidcProviderOptions>

/** What every preset takes: the client registered at the provider, plus overrides. */
export interface OidcPresetClient extends OidcPresetOverrides {
  clientId: string
  /** Absent → a public client (PKCE only), where the provider allows one. */
  clientSecret?: string | undefined
}

/** `https://host/` or `host` → `host`, without a trailing slash. */
function hostOf(domain: string): string {
  return domain.replace(/^https?:\/\//, '').replace(/\/+$/, '')
}

function preset(base: OidcProviderOptions, overrides: OidcPresetOverrides): OidcProviderOptions {
  const params = { ...base.authorizationParams, ...overrides.authorizationParams }
  const merged: OidcProviderOptions = { ...base, ...overrides } as OidcProviderOptions
  if (Object.keys(params).length > 0) merged.authorizationParams = params
  return merged
}

/** Keycloak: `url` is the server's base URL (`https://sso.example.com`, with `/auth` on Keycloak < 17). */
export interface KeycloakPresetOptions extends OidcPresetClient {
  url: string
  realm: string
}

/**
 * Keycloak realm: issuer `{url}/realms/{realm}`. Scope `openid profile email` — a regular refresh token
 * bound to the Keycloak SSO session (a Keycloak sign-out or an idle SSO session ends the Baton session);
 * ask for `offline_access` (an offline token that outlives the SSO session) with `scope`.
 */
export function keycloak({ url, realm, ...rest }: KeycloakPresetOptions): OidcProviderOptions {
  const base = url.replace(/\/+$/, '')
  return preset(
    { issuer: `${base}/realms/${encodeURIComponent(realm)}`, clientId: rest.clientId, scope: 'openid profile email' },
    rest,
  )
}

/** Auth0 tenant: `domain` is `tenant.eu.auth0.com` or a custom domain. */
export interface Auth0PresetOptions extends OidcPresetClient {
  domain: string
  /** The API identifier: the access token is then a JWT for that API (and `baton.upstream.fetch` can call it). */
  audience?: string | undefined
}

/** Auth0: issuer `https://{domain}/` (trailing slash), `offline_access` for the refresh token, `audience` as a parameter. */
export function auth0({ domain, audience, ...rest }: Auth0PresetOptions): OidcProviderOptions {
  return preset(
    {
      issuer: `https://${hostOf(domain)}/`,
      clientId: rest.clientId,
      scope: 'openid profile email offline_access',
      ...(audience ? { authorizationParams: { audience } } : {}),
    },
    rest,
  )
}

/** Okta org: `domain` is `example.okta.com` (or a custom domain). */
export interface OktaPresetOptions extends OidcPresetClient {
  domain: string
  /** The custom authorization server's id; default `'default'`; `null` → the org authorization server. */
  authorizationServer?: string | null | undefined
}

/** Okta: issuer `https://{domain}/oauth2/{authorizationServer}` (or `https://{domain}` for the org server); `offline_access`. */
export function okta({ domain, authorizationServer = 'default', ...rest }: OktaPresetOptions): OidcProviderOptions {
  const host = `https://${hostOf(domain)}`
  const issuer = authorizationServer === null ? host : `${host}/oauth2/${encodeURIComponent(authorizationServer)}`
  return preset({ issuer, clientId: rest.clientId, scope: 'openid profile email offline_access' }, rest)
}

/** Amazon Cognito user pool. */
export interface CognitoPresetOptions extends OidcPresetClient {
  /** The pool's region, e.g. `eu-west-1`. */
  region: string
  /** The pool id, e.g. `eu-west-1_AbCdEfGhI`. */
  userPoolId: string
}

/**
 * Amazon Cognito: issuer `https://cognito-idp.{region}.amazonaws.com/{userPoolId}`. Scope
 * `openid profile email` without `offline_access`: Cognito issues the refresh token with every
 * authorization-code grant and refuses scopes the app client does not allow.
 */
export function cognito({ region, userPoolId, ...rest }: CognitoPresetOptions): OidcProviderOptions {
  return preset(
    {
      issuer: `https://cognito-idp.${region}.amazonaws.com/${userPoolId}`,
      clientId: rest.clientId,
      scope: 'openid profile email',
    },
    rest,
  )
}

/** Microsoft Entra ID (v2.0 endpoints). */
export interface EntraIdPresetOptions extends OidcPresetClient {
  /**
   * `'common'` (default: work, school and personal accounts), `'organizations'`, `'consumers'`, or the
   * tenant id. Only a tenant id pins the issuer: with the multi-tenant values the ID token's `iss` is
   * checked against the tenant the token itself names (`tid`), so users of any tenant can sign in.
   */
  tenant?: string | undefined
}

/** Entra ID: issuer `https://login.microsoftonline.com/{tenant}/v2.0`; `offline_access` yields the refresh token. */
export function entraId({ tenant = 'common', ...rest }: EntraIdPresetOptions): OidcProviderOptions {
  return preset(
    {
      issuer: `https://login.microsoftonline.com/${encodeURIComponent(tenant)}/v2.0`,
      clientId: rest.clientId,
      scope: 'openid profile email offline_access',
    },
    rest,
  )
}

/** Google: a web-application OAuth client (confidential: the secret is required). */
export interface GooglePresetOptions extends OidcPresetClient {
  clientSecret: string
}

/**
 * Google: issuer `https://accounts.google.com`, scope `openid profile email` (Google does not take
 * `offline_access`); `access_type=offline` yields the refresh token and `prompt=consent` makes Google
 * issue one on every sign-in, not only the first.
 */
export function google(options: GooglePresetOptions): OidcProviderOptions {
  return preset(
    {
      issuer: 'https://accounts.google.com',
      clientId: options.clientId,
      scope: 'openid profile email',
      authorizationParams: { access_type: 'offline', prompt: 'consent' },
    },
    options,
  )
}

/**
 * Presets for well-known OpenID providers: each returns the `OidcProviderOptions` of one entry of
 * `oidc.providers`, and takes any other `OidcProviderOptions` field to override it.
 *
 * @example
 * oidc: { providers: { oidc: oidcProviders.keycloak({ url, realm: 'acme', clientId, clientSecret }) } }
 */
export const oidcProviders = { keycloak, auth0, okta, cognito, entraId, google } as const
