import type { RequestMeta, ResolvedEngineOptions } from './engine-options.js'
import {
  RefreshDeniedError,
  RefreshTokenInvalidError,
  RefreshTokenReusedError,
  SessionExpiredError,
  SessionRevokedError,
} from './errors.js'
import { emit } from './events.js'
import { type Awaitable, isPromiseLike } from './internal/awaitable.js'
import { timingSafeEqual } from './internal/encoding.js'
import type { IssuedSession, IssueTokens } from './issued-session.js'
import type { RefreshTokens } from './refresh-token.js'
import type { DerivedSecret } from './secret.js'
import type { RefreshTokenRecord, RefreshTokenWithSession, SessionRecord, SessionStore } from './session-store.js'

/**
 * Grace hand-back follows the successor chain at most this far. Within one
 * grace window a family rarely rotates more than once; a longer chain is
 * treated as reuse.
 */
export const MAX_GRACE_HOPS = 3

/** The engine internals the rotation needs. */
export interface RotationContext {
  options: ResolvedEngineOptions
  store: SessionStore
  tokens: RefreshTokens
  /** The derived secrets, current first (an array once derived: no await on the refresh path). */
  secrets: () => Awaitable<readonly DerivedSecret[]>
  issue: IssueTokens
  /** Called after the rotation revokes a family (reuse), e.g. to drop cached lookups. */
  onRevoked?: (sessionId: string) => void
}

/** Refuses sessions that are revoked or past their absolute lifetime. */
export function assertSessionUsable(session: SessionRecord, now: number): void {
  if (session.revokedAt !== null) throw new SessionRevokedError()
  if (now >= session.absoluteExpiresAt) throw new SessionExpiredError()
}

function isNullableNumber(value: unknown): value is number | null {
  return value === null || (typeof value === 'number' && Number.isFinite(value))
}

/** Corrupt or foreign rows are treated as unknown tokens, never as crashes. */
export function isConsistent(found: RefreshTokenWithSession | null, hash: string): found is RefreshTokenWithSession {
  if (!found || typeof found !== 'object' || !found.token || !found.session) return false
  const { token, session } = found
  return (
    token.hash === hash &&
    typeof session.id === 'string' &&
    token.sessionId === session.id &&
    typeof session.subject === 'string' &&
    session.subject.length > 0 &&
    typeof token.expiresAt === 'number' &&
    Number.isFinite(token.expiresAt) &&
    typeof session.absoluteExpiresAt === 'number' &&
    Number.isFinite(session.absoluteExpiresAt) &&
    isNullableNumber(token.usedAt) &&
    isNullableNumber(session.revokedAt) &&
    (token.successorHash === null || typeof token.successorHash === 'string')
  )
}

/**
 * Rotates a presented refresh token: exactly one caller wins the store's
 * compare-and-set and gets the successor; a loser within the grace window
 * gets the same successor back (re-derived, checked against the stored hash);
 * a used token after the window revokes the whole family.
 */
export async function rotateRefreshToken(
  ctx: RotationContext,
  presented: unknown,
  meta: RequestMeta,
): Promise<IssuedSession> {
  const { options, store, tokens } = ctx
  if (!tokens.isWellFormed(presented)) throw new RefreshTokenInvalidError('The refresh token is malformed.')
  const now = options.clock.now()
  const hashed = tokens.hash(presented)
  const hash = isPromiseLike(hashed) ? await hashed : hashed
  const found = await store.findRefreshToken(hash)
  if (!isConsistent(found, hash)) throw new RefreshTokenInvalidError()
  const { token, session } = found
  assertSessionUsable(session, now)
  if (token.usedAt !== null) return resolveUsedToken(ctx, presented, token, session, now)
  if (now >= token.expiresAt) throw new SessionExpiredError()
  if (options.checkRefresh && !(await options.checkRefresh({ session, meta }))) {
    throw new RefreshDeniedError()
  }
  // On Node these answer synchronously: no promise per step (see internal/awaitable.ts).
  const secrets = ctx.secrets()
  const [current] = isPromiseLike(secrets) ? await secrets : secrets
  const derived = tokens.successor(presented, (current as DerivedSecret).successorKey)
  const successor = isPromiseLike(derived) ? await derived : derived
  const hashedSuccessor = tokens.hash(successor)
  const successorHash = isPromiseLike(hashedSuccessor) ? await hashedSuccessor : hashedSuccessor
  const expiresAt = Math.min(now + options.refreshTokenTtlMs, session.absoluteExpiresAt)
  const updates = {
    lastUsedAt: now,
    expiresAt,
    userAgent: meta.userAgent ?? session.userAgent,
    ip: meta.ip ?? session.ip,
  }
  const result = await store.rotateRefreshToken({
    hash,
    sessionId: session.id,
    usedAt: now,
    successor: {
      hash: successorHash,
      sessionId: session.id,
      parentHash: hash,
      successorHash: null,
      createdAt: now,
      expiresAt,
      usedAt: null,
    },
    session: updates,
  })
  switch (result.status) {
    case 'rotated':
      emit(options.onEvent, {
        type: 'refreshed',
        at: now,
        subject: session.subject,
        sessionId: session.id,
        graced: false,
        ip: updates.ip,
        userAgent: updates.userAgent,
      })
      return ctx.issue({ ...session, ...updates }, successor, expiresAt, false)
    case 'used':
      return resolveUsedToken(ctx, presented, result.token, session, now)
    case 'revoked':
      throw new SessionRevokedError()
    default:
      throw new RefreshTokenInvalidError()
  }
}

async function resolveUsedToken(
  ctx: RotationContext,
  presented: string,
  token: RefreshTokenRecord,
  session: SessionRecord,
  now: number,
): Promise<IssuedSession> {
  const { options } = ctx
  const usedAt = token.usedAt ?? now
  if (options.reuseGraceMs > 0 && now - usedAt < options.reuseGraceMs) {
    const handedBack = await handBackSuccessor(ctx, presented, token, now)
    if (handedBack) return handedBack
  }
  const revoked = await ctx.store.revokeSession(session.id, { at: now, reason: 'refresh_token_reused' })
  ctx.onRevoked?.(session.id)
  if (revoked) {
    emit(options.onEvent, {
      type: 'refresh_token_reused',
      at: now,
      subject: session.subject,
      sessionId: session.id,
      reason: 'refresh_token_reused',
    })
  }
  throw new RefreshTokenReusedError()
}

/** Re-derives successors along the chain to the live token; null if the chain does not check out. */
async function handBackSuccessor(
  ctx: RotationContext,
  presented: string,
  token: RefreshTokenRecord,
  now: number,
): Promise<IssuedSession | null> {
  let current = presented
  let record = token
  for (let hop = 0; hop < MAX_GRACE_HOPS; hop++) {
    const expected = record.successorHash
    if (!expected) return null
    const next = await deriveRecordedSuccessor(ctx, current, expected)
    if (!next) return null
    const found = await ctx.store.findRefreshToken(expected)
    if (!isConsistent(found, expected) || found.session.id !== token.sessionId) throw new RefreshTokenInvalidError()
    assertSessionUsable(found.session, now)
    if (found.token.usedAt === null) {
      if (now >= found.token.expiresAt) throw new SessionExpiredError()
      const s = found.session
      emit(ctx.options.onEvent, {
        type: 'refreshed',
        at: now,
        subject: s.subject,
        sessionId: s.id,
        graced: true,
        ip: s.ip,
        userAgent: s.userAgent,
      })
      return ctx.issue(s, next, found.token.expiresAt, true)
    }
    current = next
    record = found.token
  }
  return null
}

/** Tries the successor key of every configured secret (current, then previous). */
async function deriveRecordedSuccessor(
  ctx: RotationContext,
  token: string,
  expectedHash: string,
): Promise<string | null> {
  for (const secret of await ctx.secrets()) {
    const candidate = await ctx.tokens.successor(token, secret.successorKey)
    if (timingSafeEqual(await ctx.tokens.hash(candidate), expectedHash)) return candidate
  }
  return null
}
