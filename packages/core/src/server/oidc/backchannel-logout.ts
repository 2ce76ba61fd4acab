import { createRemoteJWKSet, customFetch, type JWTVerifyGetKey } from 'jose'
import { BadRequestError } from '../../index.js'
import type { BatonContext } from '../context.js'
import { readFormBody } from '../http/request-guard.js'
import { verifyLogoutToken } from './logout-token.js'
import { providerConfig, providerNamed } from './oidc-flow.js'
import type { ResolvedOidcProvider } from './oidc-options.js'
import type { OidcRuntime } from './oidc-runtime.js'

/** How long a logout token's `jti` is remembered (twice the accepted `iat` age). */
const REPLAY_WINDOW_MS = 20 * 60 * 1000

const jwksByProvider = new WeakMap<OidcRuntime, Map<string, JWTVerifyGetKey>>()

function keysOf(oidc: OidcRuntime, provider: ResolvedOidcProvider, jwksUri: string): JWTVerifyGetKey {
  let cache = jwksByProvider.get(oidc)
  if (!cache) {
    cache = new Map()
    jwksByProvider.set(oidc, cache)
  }
  let keys = cache.get(provider.name)
  if (!keys) {
    // jose caches the key set and fetches it again for an unknown `kid` (the provider rotated its keys).
    keys = createRemoteJWKSet(new URL(jwksUri), { [customFetch]: oidc.fetch, timeoutDuration: oidc.timeoutMs })
    cache.set(provider.name, keys)
  }
  return keys
}

/** The Baton subject of a provider subject: what `toUser` makes of `{ sub }` (the default keeps `sub`). */
function subjectOf(provider: ResolvedOidcProvider, sub: string, issuer: string): string {
  try {
    return provider.toUser({ claims: { sub, iss: issuer }, userinfo: null, provider: provider.name }).id
  } catch {
    return sub
  }
}

/**
 * OpenID Connect Back-Channel Logout 1.0 (`POST /backchannel-logout/:provider`,
 * `logout_token` in a form body): validates the token, refuses a replayed
 * `jti` (remembered in the store, so across instances), then revokes the
 * user's sessions from this provider with that `sid`, or all of them when the
 * token has no `sid`. Revocations are in the store: every instance refuses
 * those sessions from then on.
 * @throws BadRequestError (400) for a missing, invalid or replayed token
 */
export async function backchannelLogout(
  ctx: BatonContext,
  oidc: OidcRuntime,
  input: { request: Request; provider: string },
): Promise<{ revoked: number }> {
  const provider = providerNamed(oidc, input.provider)
  const token = (await readFormBody(input.request, ctx.options)).get('logout_token')
  if (!token) throw new BadRequestError('Send the `logout_token`.')
  const metadata = (await providerConfig(oidc, provider)).serverMetadata()
  if (!metadata.jwks_uri)
    throw new BadRequestError('The provider publishes no JWKS: its logout tokens cannot be checked.')
  const now = Date.now()
  const claims = await verifyLogoutToken(token, {
    issuer: metadata.issuer,
    clientId: provider.clientId,
    keys: keysOf(oidc, provider, metadata.jwks_uri),
    now,
  })
  const seen = await ctx.engine.store.consumeRateLimit({
    key: `oidc-logout:${provider.name}:${claims.jti}`,
    limit: 1,
    windowMs: REPLAY_WINDOW_MS,
    now,
  })
  if (!seen.allowed) throw new BadRequestError('Invalid logout token: replayed.')
  if (claims.sub === null) {
    throw new BadRequestError('Logout tokens without `sub` are not supported: configure the provider to send `sub`.')
  }
  const sessions = await ctx.engine.listSessions({ subject: subjectOf(provider, claims.sub, metadata.issuer) })
  let revoked = 0
  for (const session of sessions) {
    const state = await oidc.tokens.peek(session.id).catch(() => null)
    if (state?.provider !== provider.name) continue
    if (claims.sid !== null && state.sid !== claims.sid) continue
    if (await ctx.engine.revokeSession({ sessionId: session.id, reason: 'backchannel_logout' })) revoked++
  }
  return { revoked }
}
