import { ConfigError } from '../../index.js'
import type { AuthenticatedUser } from '../credentials.js'

/** How Baton authenticates to a provider's token endpoint. */
export type OidcClientAuth = 'client_secret_basic' | 'client_secret_post' | 'private_key_jwt' | 'none'

/** What `toUser` receives: the ID token's claims, the userinfo answer (when asked for) and the provider's name. */
export interface OidcUserInput {
  claims: Record<string, unknown> & { sub: string; iss: string }
  userinfo: Record<string, unknown> | null
  provider: string
}

/** One OpenID provider (Keycloak, Auth0, Okta, Cognito, Entra ID, Google, …). */
export interface OidcProviderOptions {
  /** The issuer URL; discovery reads `{issuer}/.well-known/openid-configuration`. */
  issuer: string
  clientId: string
  /** The client secret; absent → a public client (`none`) unless `privateKey` is given. */
  clientSecret?: string | undefined
  /** Default `client_secret_basic` with a secret, `private_key_jwt` with a key, `none` otherwise. */
  clientAuth?: OidcClientAuth | undefined
  /** The private key for `private_key_jwt` (and its `kid`, when the provider needs one). */
  privateKey?: CryptoKey | { key: CryptoKey; kid?: string } | undefined
  /** Scopes asked for. Default `openid profile email offline_access` (`offline_access` yields the refresh token). */
  scope?: string | undefined
  /** Extra authorization parameters, e.g. `{ prompt: 'consent' }` or Auth0's `{ audience }`. */
  authorizationParams?: Record<string, string> | undefined
  /**
   * Call the userinfo endpoint at sign-in and pass its answer to `toUser`. Default: only when the
   * ID token carries neither `email` nor `name` (strict providers such as oidc-provider put profile
   * claims only in userinfo when they issue an access token).
   */
  userinfo?: boolean | undefined
  /** Baton's user from the provider's claims. Default: `{ id: sub, email, name, provider }`. */
  toUser?: ((input: OidcUserInput) => AuthenticatedUser) | undefined
  /** The button's label on a sign-in page. Default: the provider's name. */
  label?: string | undefined
  /**
   * DPoP (RFC 9449), where the provider supports it: its tokens are bound to a
   * key derived from Baton's secret (the same in every instance, never stored),
   * so a leaked provider token is useless without it. Call the provider's APIs
   * through `baton.upstream.fetch`, which adds the proofs. Default false.
   */
  dpop?: boolean | undefined
}

/** The `oidc` option of `createAuthServer` / `createBaton`. */
export interface OidcOptions {
  /** The providers, each under its own name (`/api/auth/signin/{name}`): letters, digits, `-`, `_`. */
  providers: Record<string, OidcProviderOptions>
  /** Seconds each call to a provider may take (at most 60). Default 10. */
  timeout?: number | undefined
  /**
   * Refresh the provider's access token this many seconds before it expires (at most a third of its
   * lifetime). Default 30.
   */
  refreshLeeway?: number | undefined
  /**
   * Talk to `http:` issuers. Default: only loopback ones (`127.0.0.1`, `localhost`, `[::1]`), for local
   * development and tests; production providers are https.
   */
  allowInsecureRequests?: boolean | undefined
  /** The `fetch` used for every provider call. Default: the global one. */
  fetch?: typeof fetch | undefined
}

/** One provider after validation. */
export interface ResolvedOidcProvider {
  name: string
  issuer: URL
  clientId: string
  clientSecret: string | undefined
  clientAuth: OidcClientAuth
  privateKey: { key: CryptoKey; kid?: string } | undefined
  scope: string
  authorizationParams: Record<string, string>
  userinfo: boolean | 'auto'
  toUser: (input: OidcUserInput) => AuthenticatedUser
  label: string
  insecure: boolean
  dpop: boolean
}

const NAME = /^[A-Za-z0-9_-]{1,32}$/
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]'])

/** The default user: the subject as id, with the usual profile claims when present. */
export function defaultOidcUser({ claims, userinfo, provider }: OidcUserInput): AuthenticatedUser {
  const source = { ...claims, ...userinfo }
  const user: AuthenticatedUser = { id: claims.sub, provider }
  for (const [key, from] of [
    ['email', 'email'],
    ['name', 'name'],
    ['name', 'preferred_username'],
  ] as const) {
    if (user[key] === undefined && typeof source[from] === 'string') user[key] = source[from] as string
  }
  return user
}

function resolveProvider(
  name: string,
  p: OidcProviderOptions,
  allowInsecure: boolean | undefined,
): ResolvedOidcProvider {
  const where = `oidc.providers.${name}`
  if (!NAME.test(name)) throw new ConfigError(`\`${where}\`: a provider name is 1–32 letters, digits, "-" or "_".`)
  let issuer: URL
  try {
    issuer = new URL(p.issuer)
  } catch {
    throw new ConfigError(`\`${where}.issuer\` must be the provider's issuer URL.`)
  }
  const insecure = issuer.protocol === 'http:'
  if (!insecure && issuer.protocol !== 'https:') throw new ConfigError(`\`${where}.issuer\` must be http(s).`)
  if (insecure && !(allowInsecure ?? LOOPBACK.has(issuer.hostname)))
    throw new ConfigError(`\`${where}.issuer\` is http: use https, or set \`oidc.allowInsecureRequests\`.`)
  if (typeof p.clientId !== 'string' || p.clientId === '') throw new ConfigError(`\`${where}.clientId\` is required.`)
  const privateKey = p.privateKey && ('key' in p.privateKey ? p.privateKey : { key: p.privateKey })
  const clientAuth = p.clientAuth ?? (p.clientSecret ? 'client_secret_basic' : privateKey ? 'private_key_jwt' : 'none')
  if ((clientAuth === 'client_secret_basic' || clientAuth === 'client_secret_post') && !p.clientSecret)
    throw new ConfigError(`\`${where}\`: \`${clientAuth}\` needs \`clientSecret\`.`)
  if (clientAuth === 'private_key_jwt' && !privateKey)
    throw new ConfigError(`\`${where}\`: \`private_key_jwt\` needs \`privateKey\`.`)
  const scope = p.scope ?? 'openid profile email offline_access'
  if (!scope.split(' ').includes('openid')) throw new ConfigError(`\`${where}.scope\` must include "openid".`)
  return {
    name,
    issuer,
    clientId: p.clientId,
    clientSecret: p.clientSecret,
    clientAuth,
    privateKey,
    scope,
    authorizationParams: { ...p.authorizationParams },
    userinfo: p.userinfo ?? 'auto',
    toUser: p.toUser ?? defaultOidcUser,
    label: p.label ?? name,
    insecure,
    dpop: p.dpop === true,
  }
}

/** Validates the `oidc` option at startup. */
export function resolveOidcProviders(options: OidcOptions): Map<string, ResolvedOidcProvider> {
  const entries = Object.entries(options.providers ?? {})
  if (entries.length === 0) throw new ConfigError('`oidc.providers` needs at least one provider.')
  return new Map(entries.map(([name, p]) => [name, resolveProvider(name, p, options.allowInsecureRequests)]))
}
