import { createServer, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { BatonError } from '@baton/core/client'

/** A resolvable promise, for gating the server from a test. */
export interface Gate {
  promise: Promise<void>
  open(): void
}

export function gate(): Gate {
  let open!: () => void
  const promise = new Promise<void>((resolve) => {
    open = resolve
  })
  return { promise, open }
}

/** Resolves once `condition()` holds (polled every few ms), or fails after `timeout` ms. */
export async function until(condition: () => boolean, timeout = 5_000): Promise<void> {
  const start = Date.now()
  while (!condition()) {
    if (Date.now() - start > timeout) throw new Error('until: timed out')
    await new Promise((resolve) => setTimeout(resolve, 2))
  }
}

/**
 * A real HTTP API on 127.0.0.1 with a random port, the shape Baton's clients
 * meet: `GET /data/:id` answers 200 only to `Bearer <current token>`, else
 * 401; `POST /refresh` rotates the token (or fails, per `refreshMode`);
 * `GET /status/:code` answers that status; `GET /public` always 200.
 * Everything it saw is recorded for the tests to assert on.
 */
export interface ApiServer {
  url: string
  /** The only access token `/data` accepts. */
  token: string
  /** 'rotate': new token `t<n>`; 'fail': 401 ERR_REFRESH_TOKEN_INVALID; 'deny-all': rotate, but `/data` always 401s. */
  mode: 'rotate' | 'fail' | 'deny-all'
  refreshCalls: number
  /** Authorization headers seen per path, in arrival order. */
  seen: Map<string, (string | undefined)[]>
  /** Awaited before `/refresh` answers. */
  beforeRefresh?: () => Promise<void>
  /** Awaited before a 401 from `/data` is sent. */
  beforeUnauthorized?: (path: string) => Promise<void>
  requests(path: string): (string | undefined)[]
  close(): Promise<void>
}

export async function startApiServer(): Promise<ApiServer> {
  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, {
      'content-type': 'application/json',
      'access-control-allow-origin': '*',
      'access-control-allow-headers': 'authorization, content-type',
    })
    res.end(JSON.stringify(body))
  }
  const unauthorized = { error: { code: 'ERR_ACCESS_TOKEN_INVALID', message: 'Bad token.' } }
  const server = createServer(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname
    if (req.method === 'OPTIONS') return send(res, 204, null)
    const auth = req.headers.authorization
    api.seen.set(path, [...(api.seen.get(path) ?? []), auth])
    if (path === '/refresh' && req.method === 'POST') {
      api.refreshCalls++
      await api.beforeRefresh?.()
      if (api.mode === 'fail') {
        return send(res, 401, { error: { code: 'ERR_REFRESH_TOKEN_INVALID', message: 'Invalid refresh token.' } })
      }
      api.token = `t${api.refreshCalls}`
      return send(res, 200, { accessToken: api.token })
    }
    if (path.startsWith('/data/')) {
      if (api.mode !== 'deny-all' && auth === `Bearer ${api.token}`) return send(res, 200, { path, auth })
      await api.beforeUnauthorized?.(path)
      return send(res, 401, unauthorized)
    }
    if (path.startsWith('/status/')) return send(res, Number(path.slice(8)), { path })
    if (path === '/public') return send(res, 200, { path, auth })
    return send(res, 404, { error: { code: 'ERR_NOT_FOUND', message: 'Not found.' } })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  const api: ApiServer = {
    url: `http://127.0.0.1:${port}`,
    token: 't0',
    mode: 'rotate',
    refreshCalls: 0,
    seen: new Map(),
    requests: (path) => api.seen.get(path) ?? [],
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
  return api
}

/**
 * The caller's side, as an app without React writes it: the token in a
 * variable, refreshed with plain fetch; a failed refresh throws a BatonError
 * with the server's code.
 */
export function tokenHolder(api: ApiServer, initial: string | null = 'stale') {
  const holder = {
    token: initial,
    getAccessToken: () => holder.token,
    refresh: async (): Promise<string | null> => {
      const res = await fetch(`${api.url}/refresh`, { method: 'POST' })
      const body = await res.json()
      if (!res.ok) throw new BatonError(body.error.code, body.error.message)
      holder.token = body.accessToken
      return holder.token
    },
  }
  return holder
}
