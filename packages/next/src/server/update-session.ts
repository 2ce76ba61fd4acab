import { ConfigError, isBatonError, type UpdatedSession } from '@baton/core'
import { type BatonContext, MAX_COOKIE_TOKEN_LENGTH } from '../context.js'
import { requestToken, type TokenSource, verifyRequest } from '../http/request-auth.js'
import { requestCookies, requestHeaders } from './next-headers.js'
import { rethrowNextSignal } from './next-signals.js'
import type { BatonSession } from './session.js'

/** Creates `updateSession()`: a new access token with fresh claims, from a server action or route handler. */
export function createSessionUpdate(ctx: BatonContext): { updateSession(): Promise<BatonSession | null> } {
  const { secure, sameSite } = ctx.options.cookies
  const attributes = { httpOnly: true, secure, sameSite, path: '/' } as const

  /** The request's session (its access token, as `session()` reads it), or null when it has none that verifies. */
  async function currentSession(): Promise<{ sessionId: string; source: TokenSource } | null> {
    const request = { headers: await requestHeaders() }
    try {
      if (!requestToken(ctx, request)) return null
      const auth = await verifyRequest(ctx, request)
      return { sessionId: auth.sessionId, source: auth.source }
    } catch (error) {
      rethrowNextSignal(error)
      if (isBatonError(error) && error.status === 401) return null
      throw error
    }
  }

  /** The engine's update, or null when the session has ended since its token was signed. */
  async function update(sessionId: string): Promise<UpdatedSession | null> {
    try {
      return await ctx.engine.updateSession({ sessionId })
    } catch (error) {
      if (isBatonError(error) && (error.code === 'ERR_SESSION_REVOKED' || error.code === 'ERR_SESSION_EXPIRED')) {
        return null
      }
      throw error
    }
  }

  return {
    /**
     * Re-issues the current request's access token with `claims` computed
     * afresh (a role changed), without signing in again, and sets it as the
     * access cookie through Next's `cookies()` (so only in server actions and
     * route handlers). The refresh cookie is left as it is: it stays valid.
     * When the request's token came as `Authorization: Bearer`, no cookie is
     * set; the caller hands the returned `accessToken` on. Returns the new
     * session, or null when signed out: no valid access token, or a session
     * that has been revoked or has expired (then both cookies are cleared).
     */
    async updateSession(): Promise<BatonSession | null> {
      const current = await currentSession()
      if (!current) return null
      const updated = await update(current.sessionId)
      if (!updated) {
        if (current.source === 'cookie') {
          const jar = await requestCookies()
          for (const name of [ctx.names.access, ctx.names.refresh]) jar.set(name, '', { ...attributes, maxAge: 0 })
        }
        return null
      }
      const verified = await ctx.engine.verifyAccessToken(updated.accessToken)
      if (current.source === 'cookie') {
        if (updated.accessToken.length > MAX_COOKIE_TOKEN_LENGTH) {
          throw new ConfigError(
            `The access token is ${updated.accessToken.length} bytes, too large for a cookie: keep the user snapshot small or trim it with \`claims\`.`,
          )
        }
        const jar = await requestCookies()
        jar.set(ctx.names.access, updated.accessToken, {
          ...attributes,
          expires: new Date(updated.accessTokenExpiresAt),
        })
      }
      return {
        user: verified.user,
        subject: verified.subject,
        sessionId: verified.sessionId,
        expiresAt: verified.expiresAt,
        accessToken: updated.accessToken,
      }
    },
  }
}
