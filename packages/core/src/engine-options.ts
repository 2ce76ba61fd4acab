import { type Clock, systemClock } from './clock.js'
import { seconds } from './durations.js'
import { ConfigError } from './errors.js'
import type { BatonEventHandler } from './events.js'
import type { SigningKeysOptions } from './key-set.js'
import { DEFAULT_REFRESH_TOKEN_PREFIX } from './refresh-token.js'
import type { RevocationFeed } from './revocation-feed.js'
import type { SessionEngineStore, SessionRecord } from './session-store.js'

/** Request metadata recorded on a session and updated on use. */
export interface RequestMeta {
  userAgent?: string | null
  ip?: string | null
  deviceId?: string | null
}

/** Context passed to `checkRefresh`. */
export interface RefreshCheckContext {
  session: SessionRecord
  meta: RequestMeta
}

/**
 * Options of {@link createSessionEngine}. Every duration is in seconds (fractions allowed); a value
 * above an option's maximum is refused as "milliseconds by habit?" (see `seconds` in `./durations.ts`).
 */
export interface SessionEngineOptions {
  /**
   * Where sessions and refresh-token hashes live: a `TokenFamilyStore`. When
   * it is also a `RateLimitStore`, login attempts are counted there (across
   * instances); otherwise in this process's memory. Upstream mode also needs
   * a `SessionDataStore`. Every `@baton/drizzle` store is all three.
   */
  store: SessionEngineStore
  /**
   * Server secret(s), each at least 32 bytes. The first is current; later
   * ones are still accepted while you rotate. Keys for HS256, successor
   * derivation and encryption are derived from it with HKDF.
   */
  secret: string | readonly string[]
  /** Asymmetric signing (EdDSA/ES256) instead of HS256; enables JWKS. */
  keys?: SigningKeysOptions
  /** `iss` of access tokens, e.g. your app's origin. */
  issuer: string
  /** `aud` of access tokens; defaults to the issuer. */
  audience?: string
  /** Access-token lifetime, seconds (at most 604800, 7 days). Default 900 (15 minutes). */
  accessTokenTtl?: number
  /** Refresh-token lifetime, seconds, renewed on each rotation (idle timeout). Default 604800 (7 days). */
  refreshTokenTtl?: number
  /** Absolute session lifetime, seconds; no rotation extends past it. Default 2592000 (30 days). */
  sessionTtl?: number
  /** Seconds in which a used refresh token gets the same successor back (at most 3600). Default 10; 0 disables. */
  reuseGrace?: number
  /** Seconds of clock skew tolerated when verifying access tokens (at most 600). Default 5. */
  clockTolerance?: number
  /** Seconds a strict check may trust a cached "not revoked" (at most 3600). Default 5. */
  revocationCacheTtl?: number
  /** Prefix of refresh tokens, for secret scanners. Default `brt_`. */
  refreshTokenPrefix?: string
  /**
   * App claims of access tokens, computed at every sign-in, refresh and `updateSession`, so a
   * change (a role, say) reaches each session at its next refresh. May be async (a database
   * lookup). Default: `{ user }` from the session's user snapshot.
   */
  claims?: (session: SessionRecord) => Record<string, unknown> | Promise<Record<string, unknown>>
  /** Extra check on refresh (e.g. refuse a changed user agent); false answers `ERR_REFRESH_DENIED`. */
  checkRefresh?: (context: RefreshCheckContext) => boolean | Promise<boolean>
  /** Receives sign-in, refresh, reuse, sign-out and revoke events. */
  onEvent?: BatonEventHandler
  /** Time source. Default: the system clock. */
  clock?: Clock
  /**
   * Pushes revocations to every instance, so stateless checks refuse a revoked
   * session at once (e.g. `createPgRevocationFeed` of `@baton/drizzle/pg`). While
   * the feed cannot vouch for having seen everything, checks read the store.
   */
  revocations?: RevocationFeed
}

/** Options after defaults and validation; durations in milliseconds. */
export interface ResolvedEngineOptions {
  store: SessionEngineStore
  issuer: string
  audience: string
  accessTokenTtlMs: number
  refreshTokenTtlMs: number
  sessionTtlMs: number
  reuseGraceMs: number
  clockTolerance: number
  revocationCacheTtlMs: number
  refreshTokenPrefix: string
  claims: (session: SessionRecord) => Record<string, unknown> | Promise<Record<string, unknown>>
  checkRefresh: SessionEngineOptions['checkRefresh']
  onEvent: BatonEventHandler | undefined
  clock: Clock
  revocations: RevocationFeed | undefined
}

/** Applies defaults and rejects inconsistent settings at startup. */
export function resolveEngineOptions(options: SessionEngineOptions): ResolvedEngineOptions {
  if (!options || typeof options.store !== 'object' || options.store === null) {
    throw new ConfigError('`store` is required (e.g. new MemorySessionStore() or a @baton/drizzle store).')
  }
  if (typeof options.issuer !== 'string' || options.issuer.length === 0) {
    throw new ConfigError('`issuer` is required, e.g. "https://app.example.com".')
  }
  const prefix = options.refreshTokenPrefix ?? DEFAULT_REFRESH_TOKEN_PREFIX
  if (!/^[A-Za-z][A-Za-z0-9]{0,15}_$/.test(prefix)) {
    throw new ConfigError('`refreshTokenPrefix` must be 1-16 letters or digits followed by "_".')
  }
  const resolved: ResolvedEngineOptions = {
    store: options.store,
    issuer: options.issuer,
    audience: options.audience ?? options.issuer,
    accessTokenTtlMs: seconds('accessTokenTtl', options.accessTokenTtl, 900, { min: 1, max: 604_800 }),
    refreshTokenTtlMs: seconds('refreshTokenTtl', options.refreshTokenTtl, 604_800, { min: 1 }),
    sessionTtlMs: seconds('sessionTtl', options.sessionTtl, 2_592_000, { min: 1 }),
    reuseGraceMs: seconds('reuseGrace', options.reuseGrace, 10, { max: 3600 }),
    clockTolerance: seconds('clockTolerance', options.clockTolerance, 5, { max: 600 }) / 1000,
    revocationCacheTtlMs: seconds('revocationCacheTtl', options.revocationCacheTtl, 5, { max: 3600 }),
    refreshTokenPrefix: prefix,
    claims: options.claims ?? ((session) => (session.user ? { user: session.user } : {})),
    checkRefresh: options.checkRefresh,
    onEvent: options.onEvent,
    clock: options.clock ?? systemClock,
    revocations: options.revocations,
  }
  if (resolved.refreshTokenTtlMs > resolved.sessionTtlMs) {
    throw new ConfigError('`refreshTokenTtl` cannot exceed `sessionTtl`.')
  }
  if (resolved.reuseGraceMs >= resolved.refreshTokenTtlMs) {
    throw new ConfigError('`reuseGrace` must be shorter than `refreshTokenTtl`.')
  }
  return resolved
}
