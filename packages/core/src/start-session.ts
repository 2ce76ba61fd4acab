import { ConfigError } from './errors.js'
import { emit } from './events.js'
import { randomId } from './internal/encoding.js'
import type { IssuedSession } from './issued-session.js'
import type { RotationContext } from './rotate-refresh-token.js'
import type { SignInInput } from './session-engine-api.js'
import type { SessionRecord } from './session-store.js'

/** The engine internals a sign-in needs: those of a rotation, less the secrets. */
export type StartSessionContext = Pick<RotationContext, 'options' | 'store' | 'tokens' | 'issue'>

/**
 * Starts a session: a new token family whose first refresh token is stored
 * hashed, the session's idle and absolute expiries from the options, a
 * `signed_in` event, and the first token pair.
 */
export async function startSession(
  ctx: StartSessionContext,
  { subject, user = null, meta = {} }: SignInInput,
): Promise<IssuedSession> {
  const { options, store, tokens } = ctx
  if (typeof subject !== 'string' || subject.length === 0 || subject.length > 255) {
    throw new ConfigError('signIn: `subject` must be a non-empty string of at most 255 characters.')
  }
  const now = options.clock.now()
  const refreshToken = tokens.generate()
  const absoluteExpiresAt = now + options.sessionTtlMs
  const expiresAt = Math.min(now + options.refreshTokenTtlMs, absoluteExpiresAt)
  const session: SessionRecord = {
    id: randomId(),
    subject,
    user,
    createdAt: now,
    lastUsedAt: now,
    expiresAt,
    absoluteExpiresAt,
    revokedAt: null,
    revokeReason: null,
    userAgent: meta.userAgent ?? null,
    ip: meta.ip ?? null,
    deviceId: meta.deviceId ?? null,
    data: null,
    dataVersion: 0,
  }
  const hash = await tokens.hash(refreshToken)
  await store.createSession(session, {
    hash,
    sessionId: session.id,
    parentHash: null,
    successorHash: null,
    createdAt: now,
    expiresAt,
    usedAt: null,
  })
  emit(options.onEvent, {
    type: 'signed_in',
    at: now,
    subject,
    sessionId: session.id,
    ip: session.ip,
    userAgent: session.userAgent,
  })
  return ctx.issue(session, refreshToken, expiresAt, false)
}
