import { DEFAULT_OIDC_CLIENT, freePort, type OidcProviderFixture, startOidcProvider } from '@baton/test-kit'

/** The provider's access-token lifetime in the OIDC project, seconds: short enough to wait past. */
export const OIDC_ACCESS_TTL = 8

/** A local OpenID provider with the demo registered as its client, and the port the demo must take. */
export interface OidcSetup {
  provider: OidcProviderFixture
  /** The demo's port and origin, fixed before it starts: the provider knows its redirect URIs. */
  demoPort: number
  origin: string
  /** The demo's BATON_OIDC_* environment for this provider. */
  env: Record<string, string>
}

/** Starts test-kit's oidc-provider for a demo that will listen on a free port of 127.0.0.1. */
export async function startOidcSetup(): Promise<OidcSetup> {
  const demoPort = await freePort()
  const origin = `http://127.0.0.1:${demoPort}`
  const provider = await startOidcProvider({
    redirectUris: [`${origin}/api/auth/callback/oidc`],
    postLogoutRedirectUris: [`${origin}/login`],
    backchannelLogoutUri: `${origin}/api/auth/backchannel-logout/oidc`,
    accessTokenTtl: OIDC_ACCESS_TTL,
  })
  const env = {
    BATON_ORIGIN: origin,
    BATON_OIDC_ISSUER: provider.issuer,
    BATON_OIDC_CLIENT_ID: DEFAULT_OIDC_CLIENT.client_id,
    BATON_OIDC_CLIENT_SECRET: DEFAULT_OIDC_CLIENT.client_secret,
    // oidc-provider issues a refresh token (offline_access) only after an explicit consent.
    BATON_OIDC_PROMPT: 'consent',
  }
  return { provider, demoPort, origin, env }
}
