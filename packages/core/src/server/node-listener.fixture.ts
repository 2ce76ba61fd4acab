import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Readable } from 'node:stream'
import type { AuthServer } from './auth-server.js'

/** What an app on plain Node writes: IncomingMessage → Request → AuthServer → ServerResponse. */
export function nodeListener(auth: AuthServer): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return async (req, res) => {
    const hasBody = req.method !== 'GET' && req.method !== 'HEAD'
    const request = new Request(`http://${req.headers.host}${req.url}`, {
      method: req.method ?? 'GET',
      headers: Object.entries(req.headers).flatMap(([k, v]) =>
        v === undefined ? [] : (Array.isArray(v) ? v : [v]).map((x): [string, string] => [k, x]),
      ),
      body: hasBody ? (Readable.toWeb(req) as ReadableStream) : null,
      duplex: 'half',
    } as RequestInit)
    const response = await auth.handle(request)
    const headers: string[] = []
    response.headers.forEach((value, name) => {
      if (name !== 'set-cookie') headers.push(name, value)
    })
    for (const cookie of response.headers.getSetCookie()) headers.push('set-cookie', cookie)
    res.writeHead(response.status, headers)
    res.end(Buffer.from(await response.arrayBuffer()))
  }
}

/** The server layer in a bare node:http server on 127.0.0.1; `base` is its `/api/auth`. */
export async function listen(auth: AuthServer): Promise<{ server: Server; base: string; close(): Promise<void> }> {
  const server = createServer(nodeListener(auth))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/auth`
  return { server, base, close: () => new Promise((resolve) => server.close(() => resolve())) }
}
