import { ConfigError, type SessionEngine, UnauthenticatedError } from '../../index.js'
import type { CredentialsVerifier, TokenKeeper } from '../identity.js'
import { jsonSealer } from './sealed-json.js'
import { createStoreTokens, type StoreTokens } from './store-tokens.js'
import { asUpstreamError } from './upstream-errors.js'
import { upstreamFetch } from './upstream-fetch.js'
import {
  type ResolvedUpstreamOptions,
  resolveUpstreamOptions,
  type UpstreamOptions,
  type UpstreamTokenSet,
} from './upstream-options.js'
import { withDeadline } from './with-deadline.js'

/** HKDF label of the key that seals upstream tokens in the store. */
export const STORE_SEALING_LABEL = 'upstream/store-data/a256gcm'

/** A session as the server helpers return it (`baton.session()`, `withAuth`'s `auth`): its id is enough. */
export interface UpstreamSessionRef {
  sessionId: string
}

/** `baton.upstream`: the upstream API on behalf of the signed-in user. */
export interface BatonUpstream {
  /** False unless `createBaton` got an `upstream` option; the methods then throw `ERR_CONFIG`. */
  readonly enabled: boolean
  /** The resolved options (for `createUpstreamClient`), or null. */
  readonly options: ResolvedUpstreamOptions | null
  /**
   * The session's upstream access token, refreshed first when it expires within
   * `refreshLeeway`. However many requests and processes ask at once, one
   * upstream refresh runs per expiry and a refresh token is never sent twice.
   * `rejected`: a token the upstream just answered 401 to; a newer one is
   * returned, or one is obtained.
   * @throws `UpstreamSessionEndedError` (`ERR_UPSTREAM_SESSION_ENDED`, 401, the Baton session is ended),
   *   `UpstreamUnavailableError` (502/503, the session survives),
   *   `ERR_SESSION_REVOKED` / `ERR_SESSION_EXPIRED`
   */
  getAccessToken(session: UpstreamSessionRef, options?: { rejected?: string }): Promise<string>
  /** `fetch(upstream.url + path)` with the token, timeouts, idempotent retries and one renewal on 401. */
  fetch(session: UpstreamSessionRef, path: string, init?: RequestInit): Promise<Response>
}

const notEnabled = (): never => {
  throw new ConfigError('Upstream mode is off: pass `upstream: { url }` to createBaton.')
}

/** Builds upstream mode for one Baton instance, or a disabled `baton.upstream` without options. */
export function createUpstream(
  engine: SessionEngine,
  secret: string | readonly string[],
  input: UpstreamOptions | undefined,
): {
  api: BatonUpstream
  /** Upstream mode as the server layer's two seams: it checks credentials and keeps the token pair. */
  identity: { verifier: CredentialsVerifier<UpstreamTokenSet>; keeper: TokenKeeper<UpstreamTokenSet> } | undefined
} {
  if (!input) {
    return {
      api: { enabled: false, options: null, getAccessToken: notEnabled, fetch: notEnabled },
      identity: undefined,
    }
  }
  return upstreamFromResolved(engine, secret, resolveUpstreamOptions(input))
}

/**
 * Upstream mode from resolved options: also what OpenID Connect builds on (its
 * protocol speaks the `refresh_token` grant and RFC 7009 revocation).
 */
export function upstreamFromResolved(
  engine: SessionEngine,
  secret: string | readonly string[],
  options: ResolvedUpstreamOptions,
): {
  api: BatonUpstream
  identity: { verifier: CredentialsVerifier<UpstreamTokenSet>; keeper: TokenKeeper<UpstreamTokenSet> }
  tokens: StoreTokens
} {
  const tokens = createStoreTokens(engine, options, jsonSealer(secret, STORE_SEALING_LABEL))
  const call = (timeoutMs: number) => ({
    url: options.url,
    fetch: options.fetch,
    signal: AbortSignal.timeout(timeoutMs),
  })
  const sessionIdOf = (session: UpstreamSessionRef) => {
    if (typeof session?.sessionId !== 'string') throw new UnauthenticatedError()
    return session.sessionId
  }
  const api: BatonUpstream = {
    enabled: true,
    options,
    getAccessToken: async (session, opts) => tokens.getAccessToken(sessionIdOf(session), opts),
    fetch: async (session, path, init) => {
      const sessionId = sessionIdOf(session)
      return upstreamFetch(options, (opts) => tokens.getAccessToken(sessionId, opts), path, init)
    },
  }
  const keeper: TokenKeeper<UpstreamTokenSet> = {
    attach: (session, pair) => tokens.attach(session, pair),
    async discard(pair) {
      await withDeadline(
        options.protocol.logout({ ...call(options.logoutTimeoutMs), ...pair }),
        options.logoutTimeoutMs,
      ).catch(() => undefined)
    },
    endSession: async (sessionId) => {
      const state = await tokens.endSession(sessionId)
      return state && { ...state, expiresIn: 0 }
    },
  }
  const verifier: CredentialsVerifier<UpstreamTokenSet> = {
    async verify({ credentials, request }) {
      let result: Awaited<ReturnType<typeof options.protocol.login>>
      try {
        result = await options.protocol.login({ ...call(options.timeoutMs), credentials, request })
      } catch (error) {
        throw asUpstreamError(error, 'login')
      }
      if (!result) return null
      const { user, ...pair } = result
      try {
        return { user: options.toUser(user), grant: pair }
      } catch (error) {
        await keeper.discard(pair)
        throw error
      }
    },
  }
  return { api, identity: { verifier, keeper }, tokens }
}
