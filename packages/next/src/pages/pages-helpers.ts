import type { IncomingMessage, ServerResponse } from 'node:http'
import type { BatonContext } from '../context.js'
import { readCookie } from '../cookies/read-cookie.js'
import { clearedCookies } from '../cookies/set-cookie.js'
import { isTerminal } from '../routes/refresh.js'
import type { BatonSession } from '../server/session.js'

type ApiRequest = IncomingMessage & { body?: unknown }

function toWebRequest(req: ApiRequest): Request {
  const host = req.headers.host ?? 'localhost'
  const headers = new Headers()
  for (const [name, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) for (const v of value) headers.append(name, v)
    else if (value !== undefined) headers.set(name, value)
  }
  let body: string | undefined
  if (req.method !== 'GET' && req.method !== 'HEAD' && req.body !== undefined && req.body !== '') {
    body = typeof req.body === 'string' ? req.body : JSON.stringify(req.body)
    headers.delete('content-length')
  }
  return new Request(`http://${host}${req.url ?? '/'}`, { method: req.method ?? 'GET', headers, body })
}

async function sendWebResponse(response: Response, res: ServerResponse): Promise<void> {
  res.statusCode = response.status
  for (const [name, value] of response.headers) if (name !== 'set-cookie') res.setHeader(name, value)
  const cookies = response.headers.getSetCookie()
  if (cookies.length > 0) res.setHeader('set-cookie', cookies)
  res.end(response.body ? Buffer.from(await response.arrayBuffer()) : undefined)
}

/** Pages Router support: the same routes, and a session helper for `getServerSideProps`. */
export function createPagesHelpers(ctx: BatonContext, route: (request: Request) => Promise<Response>) {
  return {
    /**
     * The auth routes for `pages/api/auth/[...baton].ts`. Next's body parser
     * may stay on (bodies are re-serialised) and its size limit applies too.
     */
    async handler(req: ApiRequest, res: ServerResponse): Promise<void> {
      await sendWebResponse(await route(toWebRequest(req)), res)
    },

    /**
     * The session for `getServerSideProps({ req, res })`. Unlike server
     * components, `getServerSideProps` can set cookies, so an expired access
     * token is refreshed here and the new cookies go out with the page.
     */
    async getSession(context: { req: IncomingMessage; res: ServerResponse }): Promise<BatonSession | null> {
      const request = toWebRequest(context.req)
      const cookieHeader = request.headers.get('cookie')
      const access = readCookie(cookieHeader, ctx.names.access)
      if (access) {
        const verified = await ctx.engine.verifyAccessToken(access).catch(() => null)
        if (verified)
          return {
            user: verified.user,
            subject: verified.subject,
            sessionId: verified.sessionId,
            expiresAt: verified.expiresAt,
            accessToken: access,
          }
      }
      const refreshToken = readCookie(cookieHeader, ctx.names.refresh)
      if (!refreshToken) return null
      try {
        const issued = await ctx.engine.refresh({ refreshToken, meta: ctx.meta(request) })
        context.res.setHeader('set-cookie', ctx.cookiesFor(issued))
        const s = issued.session
        return {
          user: s.user,
          subject: s.subject,
          sessionId: s.id,
          expiresAt: issued.accessTokenExpiresAt,
          accessToken: issued.accessToken,
        }
      } catch (error) {
        if (isTerminal(error)) context.res.setHeader('set-cookie', clearedCookies(ctx.names, ctx.options.cookies))
        else throw error
        return null
      }
    },
  }
}
