import { randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/** One request as the server saw it. */
export interface SeenRequest {
  route: string
  transport: string | undefined
  cookie: string | undefined
  authorization: string | undefined
  body: Record<string, unknown> | null
}

/** A small real server speaking Baton's token transport, with knobs for outages and expiry. */
export interface TokenServer {
  /** `http://127.0.0.1:<port>/api/auth`. */
  base: string
  /** `http://127.0.0.1:<port>/api/me`, the app's own API (Bearer only). */
  api: string
  seen: SeenRequest[]
  count(route: string): number
  /** Answers the next `POST /refresh` calls with this status (503: an outage) until cleared. */
  failRefresh: number | null
  /** Milliseconds each `POST /refresh` takes, so that concurrent callers overlap. */
  refreshDelay: number
  /** Answers login and refresh like a server without the token transport (no refreshToken). */
  cookieOnly: boolean
  /** Makes every access token issued so far invalid (the app's API answers 401). */
  expireAccessTokens(): void
  /** The refresh token currently valid for the family, if any. */
  liveRefreshToken(): string | undefined
  close(): Promise<void>
}

export const USER = { id: 'u1', email: 'ada@example.com' }
export const PASSWORD = 'correct-horse'
const TTL = 15 * 60_000

const token = (prefix: string) => prefix + randomBytes(16).toString('base64url')

async function readBody(request: IncomingMessage): Promise<Record<string, unknown> | null> {
  let text = ''
  for await (const chunk of request) text += chunk
  return text ? (JSON.parse(text) as Record<string, unknown>) : null
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' })
  response.end(JSON.stringify(body))
}

const refusal = (code: string, message: string) => ({ error: { code, message } })

/**
 * Starts the server on 127.0.0.1 (an ephemeral port). One family of refresh
 * tokens at a time: each refresh rotates it; a spent token presented again
 * revokes the family (401 `ERR_REFRESH_TOKEN_REUSED`), as Baton does after
 * its grace window (this server has none).
 */
export async function startTokenServer(): Promise<TokenServer> {
  let live: string | undefined
  const spent = new Set<string>()
  const accessTokens = new Map<string, number>()
  const session = { id: 'sess_1', createdAt: 0, lastUsedAt: 0, userAgent: null, ip: null, current: true }

  function issue() {
    const accessToken = token('at_')
    const accessTokenExpiresAt = Date.now() + TTL
    accessTokens.set(accessToken, accessTokenExpiresAt)
    live = token('brt_')
    const rotated = server.cookieOnly ? {} : { refreshToken: live, refreshTokenExpiresAt: Date.now() + 7 * 86_400_000 }
    return { user: USER, session, accessToken, accessTokenExpiresAt, ...rotated }
  }

  const bearer = (request: IncomingMessage) => {
    const value = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1]
    return value && (accessTokens.get(value) ?? 0) > Date.now() ? value : null
  }

  const http = createServer(async (request, response) => {
    const path = new URL(request.url ?? '/', 'http://x').pathname
    const route = `${request.method} ${path.replace('/api/auth', '')}`
    const body = await readBody(request)
    server.seen.push({
      route,
      transport: request.headers['x-baton-transport'] as string | undefined,
      cookie: request.headers.cookie,
      authorization: request.headers.authorization,
      body,
    })
    if (path.startsWith('/api/auth') && request.headers['x-baton-transport'] !== 'token')
      return send(response, 400, refusal('ERR_BAD_REQUEST', 'Expected X-Baton-Transport: token.'))
    if (route === 'POST /login') {
      if (body?.email !== USER.email || body?.password !== PASSWORD)
        return send(response, 401, refusal('ERR_INVALID_CREDENTIALS', 'Wrong email or password.'))
      return send(response, 200, issue())
    }
    if (route === 'POST /refresh') {
      await new Promise((resolve) => setTimeout(resolve, server.refreshDelay))
      if (server.failRefresh) return send(response, server.failRefresh, refusal('ERR_STORE_UNAVAILABLE', 'Down.'))
      const presented = body?.refreshToken
      if (typeof presented !== 'string')
        return send(response, 401, refusal('ERR_REFRESH_TOKEN_MISSING', 'No refresh token.'))
      if (spent.has(presented)) {
        live = undefined
        return send(response, 401, refusal('ERR_REFRESH_TOKEN_REUSED', 'Reused: session revoked.'))
      }
      if (presented !== live) return send(response, 401, refusal('ERR_REFRESH_TOKEN_INVALID', 'Unknown token.'))
      spent.add(presented)
      return send(response, 200, issue())
    }
    if (route === 'POST /logout') {
      if (body?.refreshToken === live) live = undefined
      return send(response, 200, { ok: true, revoked: 1 })
    }
    if (route === 'GET /sessions') {
      if (!bearer(request)) return send(response, 401, refusal('ERR_ACCESS_TOKEN_EXPIRED', 'Expired.'))
      return send(response, 200, { sessions: [session] })
    }
    if (route === 'GET /session' || route === 'GET /api/me') {
      const access = bearer(request)
      if (!access) return send(response, 401, refusal('ERR_ACCESS_TOKEN_EXPIRED', 'Expired.'))
      return send(response, 200, {
        user: USER,
        session,
        accessToken: access,
        accessTokenExpiresAt: accessTokens.get(access),
      })
    }
    send(response, 404, refusal('ERR_NOT_FOUND', 'No such route.'))
  })
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve))
  const { port } = http.address() as AddressInfo
  const server: TokenServer = {
    base: `http://127.0.0.1:${port}/api/auth`,
    api: `http://127.0.0.1:${port}/api/me`,
    seen: [],
    count: (route) => server.seen.filter((s) => s.route === route).length,
    failRefresh: null,
    refreshDelay: 0,
    cookieOnly: false,
    expireAccessTokens: () => accessTokens.clear(),
    liveRefreshToken: () => live,
    close: () => new Promise((resolve) => http.close(() => resolve())),
  }
  return server
}
