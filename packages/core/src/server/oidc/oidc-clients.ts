import * as client from 'openid-client'
import type { ResolvedOidcProvider } from './oidc-options.js'

/** The openid-client `Configuration` of each provider, discovered once (a failed discovery is retried next time). */
export interface OidcClients {
  provider(name: string): ResolvedOidcProvider | undefined
  config(provider: ResolvedOidcProvider): Promise<client.Configuration>
  /** The DPoP options of a provider's token and resource calls (`{}` without DPoP). */
  dpop(provider: ResolvedOidcProvider): Promise<{ DPoP?: client.DPoPHandle }>
}

function clientAuth(p: ResolvedOidcProvider): client.ClientAuth {
  switch (p.clientAuth) {
    case 'client_secret_basic':
      return client.ClientSecretBasic(p.clientSecret)
    case 'client_secret_post':
      return client.ClientSecretPost(p.clientSecret)
    case 'private_key_jwt':
      return client.PrivateKeyJwt(p.privateKey as { key: CryptoKey; kid?: string })
    default:
      return client.None()
  }
}

/** Builds the clients; `fetch` and `timeoutMs` apply to every call to a provider. */
export function createOidcClients(
  providers: ReadonlyMap<string, ResolvedOidcProvider>,
  options: { fetch: typeof fetch; timeoutMs: number; dpopKey: () => Promise<CryptoKeyPair> },
): OidcClients {
  const configs = new Map<string, Promise<client.Configuration>>()
  const handles = new Map<string, client.DPoPHandle>()
  // Each call gets its own deadline; openid-client hands every request to this fetch.
  const boundedFetch: client.CustomFetch = (url, init) =>
    options.fetch(url, { ...init, signal: init.signal ?? AbortSignal.timeout(options.timeoutMs) } as RequestInit)
  const discover = async (p: ResolvedOidcProvider): Promise<client.Configuration> => {
    const config = await client.discovery(p.issuer, p.clientId, undefined, clientAuth(p), {
      [client.customFetch]: boundedFetch,
      timeout: Math.ceil(options.timeoutMs / 1000),
      // ID tokens are checked against the provider's JWKS too (not only through TLS to the token endpoint).
      execute: p.insecure
        ? [client.allowInsecureRequests, client.enableNonRepudiationChecks]
        : [client.enableNonRepudiationChecks],
    })
    config[client.customFetch] = boundedFetch
    return config
  }
  const byName = Object.fromEntries(providers)
  const config = (p: ResolvedOidcProvider): Promise<client.Configuration> => {
    let found = configs.get(p.name)
    if (!found) {
      found = discover(p)
      configs.set(p.name, found)
      found.catch(() => configs.delete(p.name))
    }
    return found
  }
  return {
    config,
    async dpop(p) {
      if (!p.dpop) return {}
      let handle = handles.get(p.name)
      if (!handle) {
        // One handle per provider: it keeps the provider's DPoP nonces.
        handle = client.getDPoPHandle(await config(p), await options.dpopKey())
        handles.set(p.name, handle)
      }
      return { DPoP: handle }
    },
    provider: (name) => (Object.hasOwn(byName, name) ? byName[name] : undefined),
  }
}
