import { isBatonError } from '@baton/core'
import type { AuthServer, BatonSession } from '@baton/core/server'
import { errorResponse } from '@baton/core/server/edge'
import type { BatonServerHelpers, SessionOptions } from '../baton-api.js'
import { safeReturnPath } from './actions.js'
import { redirect, requestHeaders } from './next-headers.js'
import { rethrowNextSignal } from './next-signals.js'

/** Creates `session()`, `requireSession()` and `withAuth()`: the server layer's session, where Next renders. */
export function createServerHelpers(server: AuthServer): Omit<BatonServerHelpers, 'updateSession'> {
  /**
   * The session of the current request's headers. Cache Components: the
   * request is read first (`headers()`), and the clock (token expiry) only
   * after `beforeClock()` (the server layer's framework hook), so no prerender
   * sees `Date.now()`. A request without a token is signed out without reading the clock.
   */
  async function currentSession(options: SessionOptions): Promise<BatonSession | null> {
    return server.session({ request: { headers: await requestHeaders() }, strict: options.strict === true })
  }

  return {
    async session(options: SessionOptions = {}): Promise<BatonSession | null> {
      return currentSession(options)
    },
    async requireSession(options: SessionOptions & { returnTo?: string } = {}): Promise<BatonSession> {
      const found = await currentSession(options)
      if (found) return found
      const next = safeReturnPath(options.returnTo)
      const signIn = server.options.signInPath
      return redirect(next ? `${signIn}?next=${encodeURIComponent(next)}` : signIn)
    },
    withAuth(handler, options = {}) {
      return async (request, context) => {
        let auth: BatonSession
        try {
          const { source: _, ...session } = await server.verifyRequest({ request, strict: options.strict === true })
          auth = session
        } catch (error) {
          rethrowNextSignal(error)
          return errorResponse(error)
        }
        try {
          return await handler(request, { ...(context ?? ({} as never)), auth })
        } catch (error) {
          rethrowNextSignal(error)
          if (!isBatonError(error)) throw error
          // A session that ended (revoked, expired, ended upstream) also deletes the cookies.
          return errorResponse(error, { cookies: server.cookiesAfter(error) })
        }
      }
    },
  }
}
