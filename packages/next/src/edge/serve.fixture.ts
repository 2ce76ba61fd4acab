import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'

/** One request the server received, as the route saw it. */
export interface Seen {
  method: string
  path: string
  headers: Headers
}

/** A real HTTP server on 127.0.0.1 in front of fetch-style handlers (like `baton.handlers`). */
export interface Served {
  origin: string
  /** Every request received, in order. */
  seen: Seen[]
  close(): Promise<void>
}

async function toRequest(req: IncomingMessage): Promise<Request> {
  const headers = new Headers()
  for (let i = 0; i < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i]!, req.rawHeaders[i + 1]!)
  const method = req.method ?? 'GET'
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  const body = method === 'GET' || method === 'HEAD' ? undefined : Buffer.concat(chunks)
  return new Request(`http://${req.headers.host}${req.url}`, { method, headers, body })
}

/**
 * Serves `handler` over node:http: Node request → `Request`, `Response` →
 * Node response with every `Set-Cookie` kept as its own header line.
 */
export async function serve(handler: (request: Request) => Promise<Response>): Promise<Served> {
  const seen: Seen[] = []
  const server = createServer(async (req, res) => {
    try {
      const request = await toRequest(req)
      seen.push({ method: request.method, path: new URL(request.url).pathname, headers: request.headers })
      const response = await handler(request)
      res.statusCode = response.status
      for (const [name, value] of response.headers) if (name !== 'set-cookie') res.setHeader(name, value)
      const cookies = response.headers.getSetCookie()
      if (cookies.length > 0) res.setHeader('set-cookie', cookies)
      res.end(Buffer.from(await response.arrayBuffer()))
    } catch (error) {
      res.statusCode = 500
      res.end(String(error))
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    origin: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()))
        server.closeAllConnections()
      }),
  }
}
