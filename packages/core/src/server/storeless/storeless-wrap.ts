import { isBatonError, UnauthenticatedError } from '../../index.js'
import { errorResponse } from '../http/responses.js'
import { isTerminal } from '../operations/terminal-errors.js'
import { upstreamFetch } from '../upstream/upstream-fetch.js'
import type { StorelessSession } from './storeless-api.js'
import { clearedCookie, type StorelessContext, storelessSession } from './storeless-session.js'

/**
 * `withAuth` / `withSession`: a route handler that gets the session under
 * `key` and an `upstream(path, init)` fetch with its token (one renewal when
 * the upstream refuses it); 401 JSON without a session. The response carries
 * the refreshed cookie when there is one; an ended upstream session clears it.
 */
export function wrapWithSession<C>(
  ctx: StorelessContext,
  key: 'auth' | 'session',
  handler: (request: Request, context: never) => Response | Promise<Response>,
): (request: Request, context: C) => Promise<Response> {
  const endedResponse = (error: unknown) =>
    errorResponse(error, { cookies: isTerminal(error) ? [clearedCookie(ctx)] : [] })
  return async (request, context) => {
    let current: StorelessSession | null
    try {
      current = await storelessSession(ctx, request)
    } catch (error) {
      // Cache Components prerender a GET handler at build: reading the cookie stops it there.
      ctx.rethrowControlFlow(error)
      return endedResponse(error)
    }
    if (!current) return errorResponse(new UnauthenticatedError())
    let latest: StorelessSession = current
    const token = async ({ rejected }: { rejected?: string } = {}) => {
      if (rejected === undefined) return latest.accessToken
      const renewed = await storelessSession(ctx, request, rejected)
      if (!renewed) throw new UnauthenticatedError()
      latest = { ...renewed, setCookie: renewed.setCookie ?? latest.setCookie }
      return latest.accessToken
    }
    let response: Response
    try {
      const call = (path: string, init?: RequestInit) => upstreamFetch(ctx.upstream, token, path, init)
      response = await handler(request, { ...(context ?? ({} as C)), [key]: current, upstream: call } as never)
    } catch (error) {
      ctx.rethrowControlFlow(error)
      if (!isBatonError(error)) throw error
      response = endedResponse(error)
      if (isTerminal(error)) return response
    }
    if (!latest.setCookie) return response
    const copy = new Response(response.body, response)
    copy.headers.append('set-cookie', latest.setCookie)
    return copy
  }
}
