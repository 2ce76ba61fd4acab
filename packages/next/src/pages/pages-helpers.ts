import type { IncomingMessage, ServerResponse } from 'node:http'
import { BadRequestError } from '@baton/core'
import type { AuthServer, BatonSession } from '@baton/core/server'
import { errorResponse, isTerminal, readCookie, toSetCookie } from '@baton/core/server/edge'
import type { BatonPagesHelpers } from '../baton-api.js'
import { nullUnlessNextSignal, rethrowNextSignal } from '../server/next-signals.js'

type ApiRequest = IncomingMessage & { body?: unknown }

/** The request's URL, or null when its Host header or target cannot form one. */
function requestUrl(req: IncomingMessage): URL | null {
  try {
    return new URL(`http://${req.headers.host ?? 'localhost'}${req.url ?? '/'}`)
  } catch {
    return null
  }
}

function requestHeaders(req: IncomingMessage): Headers {
  const headers = new Headers()
  for (const [name, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) for (const v of value) headers.append(name, v)
    else if (value !== undefined) headers.set(name, value)
  }
  return headers
}

/**
 * Reads a raw body (Next's body parser off) up to `limit` + 1 bytes: enough
 * for the route to answer 413 without ever buffering more. The rest is left
 * flowing into the void rather than destroying the socket, so the 413 is
 * still delivered.
 */
function readRawBody(req: IncomingMessage, limit: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    const finish = (error?: unknown) => {
      req.off('data', onData)
      req.off('end', onEnd)
      req.off('error', finish)
      req.off('close', onEnd)
      if (error) reject(error)
      else resolve(new Uint8Array(Buffer.concat(chunks)))
    }
    const onData = (chunk: Buffer) => {
      chunks.push(chunk)
      size += chunk.length
      if (size > limit) finish()
    }
    const onEnd = () => finish()
    req.on('data', onData)
    req.on('end', onEnd)
    req.on('error', finish)
    // A client that goes away mid-body: answer with what arrived rather than hang.
    req.on('close', onEnd)
  })
}

/**
 * A fetch `Request` for the route handlers. A body Next already parsed is
 * re-serialised; with the parser off (`req.body` undefined) the raw body is
 * read, bounded by `maxBodyBytes`.
 */
async function toWebRequest(req: ApiRequest, url: URL, maxBodyBytes: number): Promise<Request> {
  const headers = requestHeaders(req)
  const method = req.method ?? 'GET'
  let body: string | Uint8Array | undefined
  if (method !== 'GET' && method !== 'HEAD') {
    if (req.body === undefined) {
      if (!req.readableEnded) body = await readRawBody(req, maxBodyBytes)
    } else if (req.body !== '') {
      body = typeof req.body === 'string' ? req.body : JSON.stringify(req.body)
    }
    headers.delete('content-length')
    headers.delete('transfer-encoding')
  }
  return new Request(url, { method, headers, body: body as BodyInit | undefined })
}

/** Adds `Set-Cookie` values to a response, replacing earlier ones for the same cookie names. */
function appendSetCookie(res: ServerResponse, cookies: string[]): void {
  const names = new Set(cookies.map((c) => c.slice(0, c.indexOf('='))))
  const existing = res.getHeader('set-cookie')
  const kept = (existing === undefined ? [] : Array.isArray(existing) ? existing : [String(existing)]).filter(
    (line) => !names.has(line.slice(0, line.indexOf('=')).trim()),
  )
  res.setHeader('set-cookie', [...kept, ...cookies])
}

async function sendWebResponse(response: Response, res: ServerResponse): Promise<void> {
  res.statusCode = response.status
  for (const [name, value] of response.headers) if (name !== 'set-cookie') res.setHeader(name, value)
  const cookies = response.headers.getSetCookie()
  if (cookies.length > 0) res.setHeader('set-cookie', cookies)
  res.end(response.body ? Buffer.from(await response.arrayBuffer()) : undefined)
}

/** Pages Router support: the same routes, and a session helper for `getServerSideProps`. */
export function createPagesHelpers(server: AuthServer): BatonPagesHelpers {
  /** The session an access token carries (only the access cookie counts here, never a header). */
  async function sessionOf(accessToken: string): Promise<BatonSession> {
    const verified = await server.engine.verifyAccessToken(accessToken)
    const { user, subject, sessionId, expiresAt, claims } = verified
    return { user, subject, sessionId, expiresAt, accessToken, claims }
  }

  return {
    /**
     * The auth routes for `pages/api/auth/[...baton].ts`. Next's body parser
     * may stay on (bodies are re-serialised; its size limit applies too) or be
     * turned off (`export const config = { api: { bodyParser: false } }`: the
     * raw body is read, never more than `maxBodyBytes` + 1 bytes).
     */
    async handler(req: ApiRequest, res: ServerResponse): Promise<void> {
      const url = requestUrl(req)
      if (!url) {
        await sendWebResponse(errorResponse(new BadRequestError('Malformed Host header.')), res)
        return
      }
      await sendWebResponse(await server.handle(await toWebRequest(req, url, server.options.maxBodyBytes)), res)
    },

    /**
     * The session for `getServerSideProps({ req, res })`. Unlike server
     * components, `getServerSideProps` can set cookies, so an expired access
     * token is refreshed here and the new cookies go out with the page.
     */
    async getSession(context: { req: IncomingMessage; res: ServerResponse }): Promise<BatonSession | null> {
      // Only headers matter here; a page's request body is left unread for the page.
      const request = new Request(requestUrl(context.req) ?? 'http://localhost/', {
        headers: requestHeaders(context.req),
      })
      const cookieHeader = request.headers.get('cookie')
      const access = readCookie(cookieHeader, server.cookieNames.access)
      const current = access ? await sessionOf(access).catch(nullUnlessNextSignal) : null
      if (current) return current
      const refreshToken = readCookie(cookieHeader, server.cookieNames.refresh)
      if (!refreshToken) return null
      try {
        const issued = await server.refresh({ request, refreshToken })
        appendSetCookie(context.res, issued.cookies.map(toSetCookie))
        return await sessionOf(issued.accessToken)
      } catch (error) {
        rethrowNextSignal(error)
        if (isTerminal(error)) appendSetCookie(context.res, server.cookiesAfter(error).map(toSetCookie))
        else throw error
        return null
      }
    },
  }
}
