import {
  BadRequestError,
  ConfigError,
  InvalidCredentialsError,
  type IssuedSession,
  type RequestMeta,
} from '../../index.js'
import { toSessionInfo } from '../../internal.js'
import type { BatonContext } from '../context.js'
import type { CookieInstruction } from '../cookies/set-cookie.js'
import type { AuthenticatedUser, Credentials } from '../credentials.js'
import { consumeLoginAttempt } from '../http/rate-limit.js'
import { type IssuedTokens, issuedTokens } from './results.js'

/** Checks the posted credentials' shape: a flat object of bounded strings. */
export function parseCredentials(body: Record<string, unknown>): Credentials {
  const entries = Object.entries(body)
  if (entries.length === 0 || entries.length > 16) throw new BadRequestError('Send between 1 and 16 credential fields.')
  const credentials: Credentials = {}
  for (const [key, value] of entries) {
    if (key.length > 64 || typeof value !== 'string' || value.length > 1024) {
      throw new BadRequestError(`Field "${key.slice(0, 64)}" must be a string of at most 1024 characters.`)
    }
    credentials[key] = value
  }
  return credentials
}

/** Checks what the app's `authenticate` returned, so a bad value fails loudly rather than storing junk. */
export function checkUser(user: AuthenticatedUser | null | undefined): AuthenticatedUser | null {
  if (user === null || user === undefined) return null
  if (typeof user !== 'object' || typeof user.id !== 'string' || user.id.length === 0) {
    throw new ConfigError('`authenticate` must return null or an object with a non-empty string `id`.')
  }
  let snapshot: unknown
  try {
    snapshot = JSON.parse(JSON.stringify(user))
  } catch (cause) {
    // A BigInt, a cycle or a throwing toJSON is the app's bug, not an outage.
    throw new ConfigError('The user `authenticate` returned is not JSON-serialisable.', { cause })
  }
  const id = (snapshot as { id?: unknown } | null)?.id
  if (typeof snapshot !== 'object' || snapshot === null || Array.isArray(snapshot) || id !== user.id) {
    throw new ConfigError('`authenticate` must return null or an object with a non-empty string `id`.')
  }
  return snapshot as AuthenticatedUser
}

/**
 * Signs a user in: rate limit per (IP, account) and per account, the app's
 * `authenticate` (or the upstream), then a new session. Unknown accounts and
 * wrong passwords get the same answer. The CSRF check and body parsing belong
 * to the transport (the router; Next checks a server action's origin itself).
 */
export async function signIn(
  ctx: BatonContext,
  input: { request: Request; credentials: Record<string, unknown> },
): Promise<IssuedTokens> {
  const { request } = input
  const credentials = parseCredentials(input.credentials)
  const account = ctx.options.accountKey(credentials)
  if (!account) throw new BadRequestError('Send exactly one of the fields email, username or login.')
  const meta = ctx.meta(request)
  const keys = await consumeLoginAttempt(ctx.engine.store, ctx.options, {
    ip: meta.ip ?? null,
    account,
    now: ctx.engine.options.clock.now(),
  })
  const checked = await ctx.credentials.verify({ credentials, request })
  const grant = checked && 'grant' in checked ? { value: checked.grant } : null
  const discard = async () => {
    if (grant) await ctx.keeper?.discard(grant.value)
  }
  let user: AuthenticatedUser | null
  try {
    user = checkUser(checked?.user)
  } catch (error) {
    await discard()
    throw error
  }
  if (!user) {
    await discard()
    throw new InvalidCredentialsError()
  }
  const issued = await openSession(ctx, { user, grant, meta, discard })
  if (keys[0]) await ctx.engine.store.resetRateLimit(keys[0])
  return issued
}

/**
 * Starts a session for a user someone vouched for (the app's `authenticate`,
 * the upstream, an OpenID provider): a new token family, the third-party
 * grant kept with it, the cookies. Nothing is left behind when any step fails.
 */
export async function openSession(
  ctx: BatonContext,
  input: {
    user: AuthenticatedUser
    grant: { value: unknown } | null
    meta: RequestMeta
    discard?: () => Promise<void>
  },
): Promise<IssuedTokens> {
  const { user, grant, meta } = input
  const discard =
    input.discard ??
    (async () => {
      if (grant) await ctx.keeper?.discard(grant.value)
    })
  let issued: IssuedSession
  try {
    issued = await ctx.engine.signIn({ subject: user.id, user, meta })
  } catch (error) {
    await discard()
    throw error
  }
  let cookies: CookieInstruction[]
  try {
    // Upstream mode and OpenID Connect: the third-party tokens go, sealed, into the new session's data.
    if (grant) await ctx.keeper?.attach(issued.session, grant.value)
    cookies = ctx.cookiesFor(issued)
  } catch (error) {
    // The session cannot be delivered (token too large for a cookie, store failure): leave no orphan behind.
    await ctx.engine.revokeSession({ sessionId: issued.session.id, reason: 'not_delivered' })
    await discard()
    throw error
  }
  return issuedTokens(issued, user, toSessionInfo(issued.session, issued.session.id), cookies)
}
