import {
  ConfigError,
  type SessionEngine,
  SessionExpiredError,
  type SessionRecord,
  SessionRevokedError,
  StoreUnavailableError,
} from '../../index.js'
import { randomId } from '../../internal.js'
import type { JsonSealer } from './sealed-json.js'
import { isFresh, openState, sealState, stateFrom, type UpstreamTokenState } from './token-state.js'
import { asUpstreamError, UpstreamSessionEndedError, UpstreamUnavailableError } from './upstream-errors.js'
import type { ResolvedUpstreamOptions, UpstreamTokenSet } from './upstream-options.js'
import { withDeadline } from './with-deadline.js'

/** The upstream tokens of store-backed sessions. */
export interface StoreTokens {
  /** Seals a fresh token pair into a just-created session's `data`. */
  attach(session: SessionRecord, tokens: UpstreamTokenSet): Promise<void>
  /** A usable upstream access token, refreshed once per expiry across requests and processes. */
  getAccessToken(sessionId: string, options?: { rejected?: string }): Promise<string>
  /** Forgets the session's upstream tokens and logs them out upstream (best effort, bounded); returns them. */
  endSession(sessionId: string): Promise<UpstreamTokenState | null>
  /** The session's token state as kept, without refreshing (null when there is none). */
  peek(sessionId: string): Promise<UpstreamTokenState | null>
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * Keeps upstream tokens sealed in `SessionRecord.data` and refreshes them so
 * that an upstream refresh token is spent at most once:
 * - in the process, concurrent callers for one session share one run;
 * - across processes, a run first claims a lease inside the sealed data with
 *   the store's compare-and-set on `dataVersion`; others wait for the new
 *   tokens (or for the lease to lapse, if its holder died).
 * Outages release the lease and leave the session alone; a refusal ends it.
 *
 * @throws ConfigError when the store is no `SessionDataStore`
 */
export function createStoreTokens(
  engine: SessionEngine,
  options: ResolvedUpstreamOptions,
  sealer: JsonSealer,
): StoreTokens {
  if (typeof engine.options.store.updateSessionData !== 'function') {
    throw new ConfigError(
      'Upstream mode keeps the upstream tokens in session data: the store must be a SessionDataStore ' +
        '(updateSessionData()), as every @baton/drizzle store is.',
    )
  }
  const store = engine.store
  const now = () => engine.options.clock.now()
  const inFlight = new Map<string, Promise<string>>()
  const fresh = (state: UpstreamTokenState, rejected?: string) =>
    isFresh(state, now(), options.refreshLeewayMs) && state.accessToken !== rejected
  const write = async (sessionId: string, state: UpstreamTokenState | null, expectedVersion: number) =>
    store.updateSessionData(sessionId, {
      data: state && (await sealState(sealer, sessionId, state)),
      expectedVersion,
    })

  async function read(sessionId: string): Promise<{ record: SessionRecord; state: UpstreamTokenState }> {
    const record = await store.getSession(sessionId)
    if (!record || record.revokedAt !== null) throw new SessionRevokedError()
    if (now() >= record.expiresAt || now() >= record.absoluteExpiresAt) throw new SessionExpiredError()
    const state = await openState(sealer, sessionId, record.data)
    if (state) return { record, state }
    // Sealed under a secret no longer listed, or never attached: this session cannot reach the upstream.
    await engine.revokeSession({ sessionId, reason: 'upstream_tokens_unavailable' })
    throw new UpstreamSessionEndedError('This session holds no usable upstream tokens. Sign in again.')
  }

  async function spend(sessionId: string, state: UpstreamTokenState, version: number): Promise<string> {
    let tokens: UpstreamTokenSet | null
    try {
      // The deadline also bounds a custom `refresh` that ignores its signal.
      tokens = await withDeadline(
        options.protocol.refresh({
          url: options.url,
          fetch: options.fetch,
          signal: AbortSignal.timeout(options.timeoutMs),
          refreshToken: state.refreshToken,
          ...(state.provider === undefined ? {} : { provider: state.provider }),
        }),
        options.timeoutMs + 100,
      )
    } catch (error) {
      await write(sessionId, { ...state, lease: null }, version).catch(() => null)
      throw asUpstreamError(error, 'refresh')
    }
    if (!tokens) {
      await engine.revokeSession({ sessionId, reason: 'upstream_refresh_rejected' })
      await write(sessionId, null, version).catch(() => null)
      throw new UpstreamSessionEndedError()
    }
    // A provider that does not rotate answers without a refresh token (keep ours) and often without an ID token.
    const next = stateFrom(
      {
        ...tokens,
        refreshToken: tokens.refreshToken || state.refreshToken,
        idToken: tokens.idToken ?? state.idToken,
        provider: state.provider,
        sid: state.sid,
      },
      now(),
    )
    // The old refresh token is spent: losing the new pair would sign the user out, so insist a little.
    for (let attempt = 0; ; attempt++) {
      try {
        if ((await write(sessionId, next, version)) === null) await lostLease(sessionId, next)
        return next.accessToken
      } catch (error) {
        if (error instanceof SessionRevokedError) throw error
        if (attempt >= 3) throw error
        await sleep(50 * 2 ** attempt)
      }
    }
  }

  /**
   * The data changed under a held lease: signed out meanwhile (then log the new
   * pair out too, or it would outlive the session), or the lease lapsed.
   */
  async function lostLease(sessionId: string, next: UpstreamTokenState): Promise<void> {
    const record = await store.getSession(sessionId)
    if (record && record.revokedAt === null) {
      console.warn('[baton] upstream refresh lease lapsed before its result was saved; raise upstream.leaseMs')
      return
    }
    await logoutUpstream(next)
    throw new SessionRevokedError()
  }

  function logoutUpstream(state: UpstreamTokenState): Promise<void> {
    return withDeadline(
      options.protocol.logout({
        url: options.url,
        fetch: options.fetch,
        signal: AbortSignal.timeout(options.logoutTimeoutMs),
        refreshToken: state.refreshToken,
        accessToken: state.accessToken,
        ...(state.provider === undefined ? {} : { provider: state.provider }),
      }),
      options.logoutTimeoutMs,
    ).catch((error) => console.warn(`[baton] upstream logout failed (the Baton session is ended anyway): ${error}`))
  }

  async function refreshOnce(sessionId: string, rejected: string | undefined): Promise<string> {
    const deadline = Date.now() + options.leaseMs + options.timeoutMs
    for (let delay = 10; ; delay = Math.min(delay * 2, 200)) {
      const { record, state } = await read(sessionId)
      if (fresh(state, rejected)) return state.accessToken
      if (Date.now() >= deadline) {
        throw new UpstreamUnavailableError('Another instance is still refreshing the upstream session. Try again.')
      }
      if (state.lease && state.lease.until > Date.now()) {
        await sleep(delay)
        continue
      }
      const lease = { id: randomId(), until: Date.now() + options.leaseMs }
      const claimed = await write(sessionId, { ...state, lease }, record.dataVersion)
      if (claimed !== null) return spend(sessionId, state, claimed)
    }
  }

  return {
    async attach(session, tokens) {
      const version = await write(session.id, stateFrom(tokens, now()), session.dataVersion)
      if (version === null) throw new StoreUnavailableError('Could not save the upstream session.')
    },

    async getAccessToken(sessionId, { rejected } = {}) {
      // A refresh of this session already running here: join it without reading the store again.
      const running = inFlight.get(sessionId)
      if (running) return running
      const { state } = await read(sessionId)
      if (fresh(state, rejected)) return state.accessToken
      let run = inFlight.get(sessionId)
      if (!run) {
        run = refreshOnce(sessionId, rejected).finally(() => inFlight.delete(sessionId))
        inFlight.set(sessionId, run)
      }
      return run
    },

    async peek(sessionId) {
      const record = await store.getSession(sessionId)
      return record?.data ? openState(sealer, sessionId, record.data) : null
    },

    async endSession(sessionId) {
      const record = await store.getSession(sessionId).catch(() => null)
      if (!record?.data) return null
      const state = await openState(sealer, sessionId, record.data)
      await write(sessionId, null, record.dataVersion).catch(() => null)
      if (state) await logoutUpstream(state)
      return state
    },
  }
}
