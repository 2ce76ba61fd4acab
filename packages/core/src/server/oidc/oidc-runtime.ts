import { ConfigError, type SessionEngine } from '../../index.js'
import { seconds } from '../../verify.js'
import type { TokenKeeper } from '../identity.js'
import { type BatonUpstream, upstreamFromResolved } from '../upstream/create-upstream.js'
import { type JsonSealer, jsonSealer } from '../upstream/sealed-json.js'
import type { StoreTokens } from '../upstream/store-tokens.js'
import type { ResolvedUpstreamOptions } from '../upstream/upstream-options.js'
import type { UpstreamTokenSet } from '../upstream/upstream-protocol.js'
import { derivedDpopKey } from './dpop-key.js'
import { createOidcClients, type OidcClients } from './oidc-clients.js'
import { type OidcOptions, type ResolvedOidcProvider, resolveOidcProviders } from './oidc-options.js'
import { oidcProtocol, resourceSender } from './oidc-protocol.js'

/** HKDF label of the key that seals sign-in attempts (the transaction cookies). */
export const TRANSACTION_SEALING_LABEL = 'oidc/transaction/a256gcm'

/** What the sign-in flow needs, with or without a store: the providers, their clients, the attempt sealer. */
export interface OidcCore {
  providers: ReadonlyMap<string, ResolvedOidcProvider>
  clients: OidcClients
  /** Seals the transaction cookies. */
  sealer: JsonSealer
  /** The `fetch` and the per-call deadline of every call to a provider. */
  fetch: typeof fetch
  timeoutMs: number
  /** Upstream mode's options over OpenID Connect: the `refresh_token` grant, revocation, resource calls. */
  upstream: ResolvedUpstreamOptions
}

/** OpenID Connect for one store-backed Baton instance: the core and the provider tokens kept in the store. */
export interface OidcRuntime extends OidcCore {
  tokens: StoreTokens
  keeper: TokenKeeper<UpstreamTokenSet>
  /** `baton.upstream`: the provider's access token for the signed-in user, refreshed once per expiry. */
  api: BatonUpstream
}

/**
 * Validates the `oidc` option and builds what every variant shares. `deriveKey`
 * (HKDF from the secret) gives the DPoP key.
 */
export function createOidcCore(
  secret: string | readonly string[],
  options: OidcOptions,
  deriveKey: (label: string) => Promise<Uint8Array>,
): OidcCore {
  if (!options || typeof options !== 'object') throw new ConfigError('`oidc` must be `{ providers: { … } }`.')
  const providers = resolveOidcProviders(options)
  const timeoutMs = seconds('oidc.timeout', options.timeout, 10, { positive: true, max: 60 })
  const fetchImpl = options.fetch ?? ((input, init) => fetch(input, init))
  let dpopKey: Promise<CryptoKeyPair> | undefined
  const clients = createOidcClients(providers, {
    fetch: fetchImpl,
    timeoutMs,
    dpopKey: () => {
      dpopKey ??= derivedDpopKey(deriveKey)
      return dpopKey
    },
  })
  const [first] = providers.values()
  return {
    providers,
    clients,
    sealer: jsonSealer(secret, TRANSACTION_SEALING_LABEL),
    fetch: fetchImpl,
    timeoutMs,
    upstream: {
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
    },
  }
}

/** Builds OpenID Connect over upstream mode's token keeping (sealed in session data, one refresh per expiry). */
export function createOidcRuntime(
  engine: SessionEngine,
  secret: string | readonly string[],
  options: OidcOptions,
): OidcRuntime {
  const core = createOidcCore(secret, options, (label) => engine.deriveKey(label))
  const upstream = upstreamFromResolved(engine, secret, core.upstream)
  return { ...core, tokens: upstream.tokens, keeper: upstream.identity.keeper, api: upstream.api }
}
