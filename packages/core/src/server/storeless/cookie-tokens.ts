import type { Clock, JsonObject } from '../../index.js'
import { sha256 } from '../../internal.js'
import type { JsonSealer } from '../upstream/sealed-json.js'
import { isFresh, openState, sealState, stateFrom, type UpstreamTokenState } from '../upstream/token-state.js'
import { asUpstreamError, UpstreamSessionEndedError } from '../upstream/upstream-errors.js'
import type { ResolvedUpstreamOptions } from '../upstream/upstream-options.js'
import { withDeadline } from '../upstream/with-deadline.js'

/** What the storeless cookie holds: the upstream pair and the user snapshot. */
export interface CookieSession {
  user: JsonObject
  tokens: UpstreamTokenState
}

/** How long this process remembers a refresh token's successor. */
const SUCCESSOR_TTL_MS = 5 * 60_000
const MAX_REMEMBERED = 10_000
const SUBJECT = 'storeless-cookie'

/**
 * The storeless variant's token keeping: the pair lives sealed in a cookie,
 * so the only coordination is in this process. Refreshes are single-flighted
 * by refresh token, and each refresh token's successor is remembered for a
 * few minutes: a request that still carries the old cookie (sent before the
 * new one arrived, or after a refresh in a server component that could not set
 * it) gets the new pair instead of spending the old token again.
 */
export function createCookieTokens(options: ResolvedUpstreamOptions, sealer: JsonSealer, clock: Clock) {
  const inFlight = new Map<string, Promise<CookieSession>>()
  const successors = new Map<string, { session: CookieSession; until: number }>()

  const remember = (key: string, session: CookieSession) => {
    const now = Date.now()
    for (const [k, v] of successors) {
      if (v.until > now && successors.size < MAX_REMEMBERED) break
      successors.delete(k) // oldest first (insertion order)
    }
    successors.set(key, { session, until: now + SUCCESSOR_TTL_MS })
  }

  async function refresh(key: string, current: CookieSession): Promise<CookieSession> {
    let tokens: Awaited<ReturnType<ResolvedUpstreamOptions['protocol']['refresh']>>
    try {
      tokens = await withDeadline(
        options.protocol.refresh({
          url: options.url,
          fetch: options.fetch,
          signal: AbortSignal.timeout(options.timeoutMs),
          refreshToken: current.tokens.refreshToken,
          ...(current.tokens.provider === undefined ? {} : { provider: current.tokens.provider }),
        }),
        options.timeoutMs + 100,
      )
    } catch (error) {
      throw asUpstreamError(error, 'refresh')
    }
    if (!tokens) throw new UpstreamSessionEndedError()
    // As in the store: a provider that does not rotate keeps the old refresh token (and ID token).
    const { refreshToken, idToken, provider, sid } = current.tokens
    const next = {
      user: current.user,
      tokens: stateFrom(
        {
          ...tokens,
          refreshToken: tokens.refreshToken || refreshToken,
          idToken: tokens.idToken ?? idToken,
          provider,
          sid,
        },
        clock.now(),
      ),
    }
    remember(key, next)
    return next
  }

  return {
    /** Seals a session into a cookie value. */
    async seal(session: CookieSession): Promise<string> {
      const sealed = await sealState(sealer, SUBJECT, session.tokens)
      const user = await sealer.seal({ u: session.user })
      return `${sealed}~${user}`
    },

    /** Opens a cookie value, or null (missing, tampered, other secret). */
    async open(value: string | null): Promise<CookieSession | null> {
      const [sealed, sealedUser, extra] = (value ?? '').split('~')
      if (!sealed || !sealedUser || extra !== undefined) return null
      const tokens = await openState(sealer, SUBJECT, sealed)
      const user = (await sealer.open(sealedUser))?.u
      if (!tokens || !user || typeof user !== 'object' || Array.isArray(user)) return null
      return { user: user as JsonObject, tokens }
    },

    /**
     * The session with a usable access token: as is, its remembered successor,
     * or refreshed once (concurrent callers with the same cookie share the run).
     * `rejected`: a token the upstream just refused; force a renewal past it.
     */
    async fresh(session: CookieSession, rejected?: string): Promise<{ session: CookieSession; changed: boolean }> {
      const ok = (s: CookieSession) =>
        isFresh(s.tokens, clock.now(), options.refreshLeewayMs) && s.tokens.accessToken !== rejected
      if (ok(session)) return { session, changed: false }
      // Never spend a refresh token whose successor this process knows: follow the chain to the newest.
      let latest = session
      for (let hop = 0; hop < 8; hop++) {
        const known = successors.get(await sha256(latest.tokens.refreshToken))
        if (!known || known.until <= Date.now()) break
        latest = known.session
      }
      if (ok(latest)) return { session: latest, changed: true }
      const key = await sha256(latest.tokens.refreshToken)
      let run = inFlight.get(key)
      if (!run) {
        run = refresh(key, latest).finally(() => inFlight.delete(key))
        inFlight.set(key, run)
      }
      return { session: await run, changed: true }
    },
  }
}

export type CookieTokens = ReturnType<typeof createCookieTokens>
