import { request as httpRequest } from 'node:http'

/** What {@link hostRequest} got back: status, headers (lower-case names) and body text. */
export interface HostResponse {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}

/**
 * One HTTP request to a fixture server with a `Host` header of our choosing
 * (as a reverse proxy or a browser at `app.example.com` would send it), via
 * `node:http`: `fetch` does not let a caller set `Host`. Never follows redirects.
 */
export function hostRequest(
  origin: string,
  path: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<HostResponse> {
  const url = new URL(path, origin)
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: url.hostname, port: url.port, path: `${url.pathname}${url.search}`, method: init.method ?? 'GET' },
      (res) => {
        let body = ''
        res.setEncoding('utf8')
        res.on('data', (chunk: string) => {
          body += chunk
        })
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
        res.on('error', reject)
      },
    )
    for (const [name, value] of Object.entries(init.headers ?? {})) req.setHeader(name, value)
    req.on('error', reject)
    req.end(init.body)
  })
}

/** The cookies a response sets, by name ('' for a deletion). */
export function cookiesSet(response: HostResponse): Record<string, string> {
  const jar: Record<string, string> = {}
  const lines = response.headers['set-cookie'] ?? []
  for (const line of Array.isArray(lines) ? lines : [lines]) {
    const [pair = ''] = line.split(';')
    const eq = pair.indexOf('=')
    jar[pair.slice(0, eq).trim()] = pair.slice(eq + 1).trim()
  }
  return jar
}
