import { ConfigError, type SessionEngine } from '../../index.js'
import { seconds } from '../../verify.js'
import type { TokenKeeper } from '../identity.js'
import { type BatonUpstream, upstreamFromResolved } from '../upstream/create-upstream.js'
import { type JsonSealer, jsonSealer } from '../upstream/sealed-json.js'
import type { StoreTokens } from '../upstream/store-tokens.js'
import type { UpstreamTokenSet } from '../upstream/upstream-protocol.js'
import { derivedDpopKey } from './dpop-key.js'
import { createOidcClients, type OidcClients } from './oidc-clients.js'
import { type OidcOptions, type ResolvedOidcProvider, resolveOidcProviders } from './oidc-options.js'
import { oidcProtocol, resourceSender } from './oidc-protocol.js'

/** HKDF label of the key that seals sign-in attempts (the transaction cookies). */
export const TRANSACTION_SEALING_LABEL = 'oidc/transaction/a256gcm'

/** OpenID Connect for one Baton instance: the providers, their clients, the sealed provider tokens. */
export interface OidcRuntime {
  providers: ReadonlyMap<string, ResolvedOidcProvider>
  clients: OidcClients
  /** Seals the transaction cookies. */
  sealer: JsonSealer
  tokens: StoreTokens
  keeper: TokenKeeper<UpstreamTokenSet>
  /** `baton.upstream`: the provider's access token for the signed-in user, refreshed once per expiry. */
  api: BatonUpstream
  /** The `fetch` and the per-call deadline of every call to a provider. */
  fetch: typeof fetch
  timeoutMs: number
}

/** Builds OpenID Connect over upstream mode's token keeping (sealed in session data, one refresh per expiry). */
export function createOidcRuntime(
  engine: SessionEngine,
  secret: string | readonly string[],
  options: OidcOptions,
): OidcRuntime {
  if (!options || typeof options !== 'object') throw new ConfigError('`oidc` must be `{ providers: { … } }`.')
  const providers = resolveOidcProviders(options)
  const timeoutMs = seconds('oidc.timeout', options.timeout, 10, { positive: true, max: 60 })
  const fetchImpl = options.fetch ?? ((input, init) => fetch(input, init))
  let dpopKey: Promise<CryptoKeyPair> | undefined
  const clients = createOidcClients(providers, {
    fetch: fetchImpl,
    timeoutMs,
    dpopKey: () => {
      dpopKey ??= derivedDpopKey((label) => engine.deriveKey(label))
      return dpopKey
    },
  })
  const [first] = providers.values()
  const upstream = upstreamFromResolved(engine, secret, {
    // `baton.upstream.fetch(session, path)` resolves paths against the first provider's issuer.
    url: (first as ResolvedOidcProvider).issuer.href.replace(/\/+$/, ''),
    protocol: oidcProtocol(clients),
    send: resourceSender(clients, first as ResolvedOidcProvider),
    toUser: () => {
      throw new ConfigError('OpenID Connect maps users with `toUser` per provider.')
    },
    timeoutMs,
    logoutTimeoutMs: Math.min(timeoutMs, 5000),
    refreshLeewayMs: seconds('oidc.refreshLeeway', options.refreshLeeway, 30, { max: 3600 }),
    retries: 2,
    retryDelayMs: 100,
    leaseMs: timeoutMs + 5000,
    fetch: fetchImpl,
  })
  return {
    providers,
    clients,
    sealer: jsonSealer(secret, TRANSACTION_SEALING_LABEL),
    tokens: upstream.tokens,
    keeper: upstream.identity.keeper,
    api: upstream.api,
    fetch: fetchImpl,
    timeoutMs,
  }
}
