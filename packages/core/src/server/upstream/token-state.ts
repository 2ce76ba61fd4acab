import { effectiveLeeway } from '../../refresh-leeway.js'
import type { JsonSealer } from './sealed-json.js'
import type { UpstreamTokenSet } from './upstream-options.js'

/** A cross-process claim on the right to spend the refresh token. */
export interface RefreshLease {
  id: string
  /** Wall-clock ms (`Date.now()`), not the engine clock: processes compare it. */
  until: number
}

/** The upstream tokens of one session, as kept (sealed) in the session's `data`. */
export interface UpstreamTokenState {
  accessToken: string
  refreshToken: string
  /** When the upstream access token expires (engine clock, ms). */
  expiresAt: number
  /** When it was obtained; bounds the refresh leeway to a third of its lifetime. */
  issuedAt: number
  lease: RefreshLease | null
  /** OpenID Connect: the provider's latest ID token. */
  idToken?: string | undefined
  /** OpenID Connect: the provider's name. */
  provider?: string | undefined
  /** OpenID Connect: the provider's session id (`sid`). */
  sid?: string | undefined
}

/** The state for a token set the upstream just issued. */
export function stateFrom(tokens: UpstreamTokenSet, now: number): UpstreamTokenState {
  return {
    accessToken: tokens.accessToken,
    refreshToken: tokens.refreshToken,
    expiresAt: now + tokens.expiresIn * 1000,
    issuedAt: now,
    lease: null,
    idToken: tokens.idToken,
    provider: tokens.provider,
    sid: tokens.sid,
  }
}

/** True while the access token is usable for at least `leewayMs` (capped at a third of its lifetime). */
export function isFresh(state: UpstreamTokenState, now: number, leewayMs: number): boolean {
  return now < state.expiresAt - effectiveLeeway({ leeway: leewayMs, ttl: state.expiresAt - state.issuedAt })
}

/**
 * Seals the state for `subject` (a session id, or a cookie's purpose): the id
 * sits inside the ciphertext, so data copied to another session does not open.
 */
export function sealState(sealer: JsonSealer, subject: string, state: UpstreamTokenState): Promise<string> {
  const {
    accessToken: at,
    refreshToken: rt,
    expiresAt: exp,
    issuedAt: iat,
    lease,
    idToken: idt,
    provider: p,
    sid,
  } = state
  return sealer.seal({ v: 1, sub: subject, at, rt, exp, iat, lease, idt, p, sid })
}

/** Opens sealed state, or null when it is missing, tampered with, foreign or malformed. */
export async function openState(
  sealer: JsonSealer,
  subject: string,
  sealed: string | null,
): Promise<UpstreamTokenState | null> {
  if (!sealed) return null
  const value = await sealer.open(sealed)
  if (value?.v !== 1 || value.sub !== subject) return null
  const { at, rt, exp, iat, lease, idt, p, sid } = value
  if (typeof at !== 'string' || typeof rt !== 'string' || typeof exp !== 'number' || typeof iat !== 'number')
    return null
  const held = lease as RefreshLease | null
  return {
    accessToken: at,
    refreshToken: rt,
    expiresAt: exp,
    issuedAt: iat,
    lease: held && typeof held.id === 'string' && typeof held.until === 'number' ? held : null,
    idToken: typeof idt === 'string' ? idt : undefined,
    provider: typeof p === 'string' ? p : undefined,
    sid: typeof sid === 'string' ? sid : undefined,
  }
}
