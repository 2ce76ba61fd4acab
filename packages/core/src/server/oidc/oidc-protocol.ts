import * as client from 'openid-client'
import { ConfigError } from '../../index.js'
import type { UpstreamProtocol, UpstreamTokenSet } from '../upstream/upstream-protocol.js'
import type { OidcClients } from './oidc-clients.js'
import type { ResolvedOidcProvider } from './oidc-options.js'

/** Seconds a token answer without `expires_in` is taken to last. */
const DEFAULT_EXPIRES_IN = 300

/** A token endpoint answer as Baton keeps it. */
export function tokenSet(
  answer: client.TokenEndpointResponse & client.TokenEndpointResponseHelpers,
  provider: string,
  previousRefreshToken = '',
): UpstreamTokenSet {
  return {
    accessToken: answer.access_token,
    // A provider that does not rotate answers without one: the old refresh token stays valid.
    refreshToken: answer.refresh_token ?? previousRefreshToken,
    expiresIn: typeof answer.expires_in === 'number' && answer.expires_in > 0 ? answer.expires_in : DEFAULT_EXPIRES_IN,
    idToken: answer.id_token,
    provider,
    sid: sidOf(answer),
  }
}

function sidOf(answer: client.TokenEndpointResponseHelpers): string | undefined {
  const sid = answer.claims()?.sid
  return typeof sid === 'string' ? sid : undefined
}

/** The provider refused the request (`invalid_grant` and the other 4xx OAuth errors): definitive, not an outage. */
export function isRefusal(error: unknown): boolean {
  return error instanceof client.ResponseBodyError && error.status >= 400 && error.status < 500
}

/**
 * Upstream mode's protocol over OpenID Connect: `refresh` is the
 * `refresh_token` grant (a refusal → null, which ends the Baton session; an
 * outage throws, which keeps it), `logout` revokes the refresh token (RFC 7009)
 * where the provider has a revocation endpoint. Sign-in goes through the
 * authorization code flow, never `login`.
 */
export function oidcProtocol(clients: OidcClients): UpstreamProtocol {
  const providerOf = (name: string | undefined) => {
    const p = name === undefined ? undefined : clients.provider(name)
    if (!p) throw new ConfigError(`The session's OpenID provider "${name}" is no longer configured.`)
    return p
  }
  return {
    async login() {
      throw new ConfigError('OpenID Connect signs in through GET /api/auth/signin/{provider}, not with a password.')
    },
    async refresh({ refreshToken, provider }) {
      if (!refreshToken) return null // none was issued (no offline_access): the provider session cannot be renewed
      const p = providerOf(provider)
      const config = await clients.config(p)
      try {
        const answer = await client.refreshTokenGrant(config, refreshToken, undefined, await clients.dpop(p))
        return tokenSet(answer, p.name, refreshToken)
      } catch (error) {
        if (isRefusal(error)) return null
        throw error
      }
    },
    async logout({ refreshToken, accessToken, provider }) {
      const config = await clients.config(providerOf(provider))
      if (!config.serverMetadata().revocation_endpoint) return
      if (refreshToken) await client.tokenRevocation(config, refreshToken, { token_type_hint: 'refresh_token' })
      else await client.tokenRevocation(config, accessToken, { token_type_hint: 'access_token' })
    },
  }
}

/**
 * How `baton.upstream.fetch` sends a request with the provider's access
 * token: through openid-client, which adds the DPoP proof (and retries once
 * with the provider's DPoP nonce) when the provider uses DPoP, a Bearer header
 * otherwise. A 401 comes back as a response, so the token is renewed once.
 */
export function resourceSender(
  clients: OidcClients,
  provider: ResolvedOidcProvider,
): (input: { url: string; init: RequestInit; accessToken: string }) => Promise<Response> {
  return async ({ url, init, accessToken }) => {
    const config = await clients.config(provider)
    const headers = new Headers(init.headers)
    headers.delete('authorization')
    try {
      return await client.fetchProtectedResource(
        config,
        accessToken,
        new URL(url),
        init.method ?? 'GET',
        (init.body ?? null) as client.FetchBody,
        headers,
        await clients.dpop(provider),
      )
    } catch (error) {
      if (error instanceof client.WWWAuthenticateChallengeError) return error.response
      throw error
    }
  }
}
