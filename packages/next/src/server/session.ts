import { isBatonError, type JsonObject } from '@baton/core'
import type { BatonContext } from '../context.js'
import { clearedCookies } from '../cookies/set-cookie.js'
import { requestToken, verifyRequest } from '../http/request-auth.js'
import { errorResponse } from '../http/responses.js'
import { safeReturnPath } from './actions.js'
import { beforeClock, redirect, requestHeaders } from './next-headers.js'
import { rethrowNextSignal } from './next-signals.js'

/** The signed-in user as server code sees it. */
export interface BatonSession {
  user: JsonObject | null
  subject: string
  sessionId: string
  /** When the access token expires (ms since the epoch). */
  expiresAt: number
  /** The verified access token (e.g. to call your own API on the user's behalf). */
  accessToken: string
}

/** Options of the server helpers. */
export interface SessionOptions {
  /** Also check in the store (cached briefly) that the session was not revoked. */
  strict?: boolean
}

/** Creates `session()`, `requireSession()` and `withAuth()`. */
export function createServerHelpers(ctx: BatonContext) {
  /**
   * The session of the current request's headers. Cache Components: the
   * request is read first (`headers()`), and the clock (token expiry) only
   * after `beforeClock()`, so no prerender sees `Date.now()`. A request
   * without a token is signed out without reading the clock.
   */
  async function currentSession(options: SessionOptions): Promise<BatonSession | null> {
    const request = { headers: await requestHeaders() }
    try {
      if (!requestToken(ctx, request)) return null
      await beforeClock()
      const auth = await verifyRequest(ctx, request, options)
      return {
        user: auth.user,
        subject: auth.subject,
        sessionId: auth.sessionId,
        expiresAt: auth.expiresAt,
        accessToken: auth.token,
      }
    } catch (error) {
      rethrowNextSignal(error)
      if (isBatonError(error) && error.status === 401) return null
      throw error
    }
  }

  return {
    /**
     * The session of the current request in server components, route handlers
     * and server actions, or null. It verifies the access token itself — it
     * never trusts a header the proxy might have set, so a proxy bypass cannot
     * forge a session. It does not refresh (server components cannot set
     * cookies): the proxy refreshes before the page renders.
     */
    async session(options: SessionOptions = {}): Promise<BatonSession | null> {
      return currentSession(options)
    },

    /** Like `session()`, but redirects to the sign-in page (with `?next=returnTo`) when signed out. */
    async requireSession(options: SessionOptions & { returnTo?: string } = {}): Promise<BatonSession> {
      const found = await currentSession(options)
      if (found) return found
      // The same rule as the sign-in action's `redirectTo`: `/\evil.com` and friends never become `?next=`.
      const next = safeReturnPath(options.returnTo)
      return redirect(next ? `${ctx.options.signInPath}?next=${encodeURIComponent(next)}` : ctx.options.signInPath)
    },

    /**
     * Wraps a route handler: the request needs a valid access token, from a
     * Bearer header or the access cookie; otherwise 401 JSON with
     * `WWW-Authenticate: Bearer error="invalid_token"` and
     * `ERR_ACCESS_TOKEN_EXPIRED` / `ERR_ACCESS_TOKEN_INVALID` / `ERR_UNAUTHENTICATED`.
     * A `BatonError` the handler throws (say `ERR_UPSTREAM_UNAVAILABLE` from
     * `baton.upstream`) becomes its JSON error response; when it says the
     * session ended, the response also clears the session cookies.
     */
    withAuth<C>(
      handler: (request: Request, context: C & { auth: BatonSession }) => Response | Promise<Response>,
      options: SessionOptions = {},
    ): (request: Request, context: C) => Promise<Response> {
      return async (request, context) => {
        let auth: Awaited<ReturnType<typeof verifyRequest>>
        try {
          auth = await verifyRequest(ctx, request, options)
        } catch (error) {
          // Cache Components prerender a GET handler at build: reading `request.headers` stops it there.
          rethrowNextSignal(error)
          return errorResponse(error)
        }
        const session = {
          user: auth.user,
          subject: auth.subject,
          sessionId: auth.sessionId,
          expiresAt: auth.expiresAt,
          accessToken: auth.token,
        }
        try {
          return await handler(request, { ...(context ?? ({} as C)), auth: session })
        } catch (error) {
          // The handler's own redirect(), notFound() or prerender bail-out, untouched.
          rethrowNextSignal(error)
          if (!isBatonError(error)) throw error
          const ended =
            error.code === 'ERR_SESSION_REVOKED' ||
            error.code === 'ERR_SESSION_EXPIRED' ||
            error.code === 'ERR_UPSTREAM_SESSION_ENDED'
          return errorResponse(error, { cookies: ended ? clearedCookies(ctx.names, ctx.options.cookies) : [] })
        }
      }
    },
  }
}
