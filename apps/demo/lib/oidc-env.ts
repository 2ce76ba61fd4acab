import type { OidcClientAuth } from '@baton/core/server'

/** OpenID Connect mode's settings: set when `BATON_OIDC_ISSUER` is (see the README's table). */
export interface OidcDemoEnv {
  issuer: string
  clientId: string
  /** Undefined: a public client (`none`). */
  clientSecret: string | undefined
  scope: string
  clientAuth: OidcClientAuth | undefined
  /** Sent as the `prompt` authorization parameter (oidc-provider keeps `offline_access` only with `consent`). */
  prompt: string | undefined
  /** The app's public origin: the provider redirects back to `{origin}/api/auth/callback/oidc`. */
  origin: string
  /** The button's text after "Sign in with". */
  label: string
}

const CLIENT_AUTH: readonly OidcClientAuth[] = ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none']

const value = (name: string): string | undefined => process.env[name]?.trim() || undefined

function httpUrl(name: string, raw: string): URL {
  try {
    const url = new URL(raw)
    if (url.protocol === 'http:' || url.protocol === 'https:') return url
  } catch {}
  throw new Error(`${name} must be an http(s) URL, got ${JSON.stringify(raw)}.`)
}

/** OIDC mode from the environment, or undefined when `BATON_OIDC_ISSUER` is unset. */
export function readOidcEnv(): OidcDemoEnv | undefined {
  const issuer = value('BATON_OIDC_ISSUER')
  if (!issuer) return undefined
  const issuerUrl = httpUrl('BATON_OIDC_ISSUER', issuer)
  const clientId = value('BATON_OIDC_CLIENT_ID')
  if (!clientId) throw new Error('BATON_OIDC_CLIENT_ID is required when BATON_OIDC_ISSUER is set.')
  const clientAuth = value('BATON_OIDC_CLIENT_AUTH') as OidcClientAuth | undefined
  if (clientAuth && !CLIENT_AUTH.includes(clientAuth)) {
    throw new Error(
      `BATON_OIDC_CLIENT_AUTH must be one of ${CLIENT_AUTH.join(', ')}, got ${JSON.stringify(clientAuth)}.`,
    )
  }
  const origin = httpUrl('BATON_ORIGIN', value('BATON_ORIGIN') ?? `http://127.0.0.1:${process.env.PORT ?? 3000}`)
  return {
    // Kept as given: the issuer must match the provider's `issuer` exactly (a trailing slash matters).
    issuer,
    clientId,
    clientSecret: value('BATON_OIDC_CLIENT_SECRET'),
    scope: value('BATON_OIDC_SCOPE') ?? 'openid profile email offline_access',
    clientAuth,
    prompt: value('BATON_OIDC_PROMPT'),
    origin: origin.origin,
    label: issuerUrl.host,
  }
}
