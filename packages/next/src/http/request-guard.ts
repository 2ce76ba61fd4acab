import { BatonError } from '@baton/core'
import type { ResolvedBatonOptions } from '../options.js'

/**
 * Refuses cross-site calls to state-changing routes. A browser always sends
 * `Origin` on a cross-origin POST/DELETE and `Sec-Fetch-Site` on every
 * request; either one pointing elsewhere than this app (or an origin listed in
 * `allowedOrigins`) is a CSRF attempt. Requests with neither header are not
 * from a browser, so they carry no ambient cookies to abuse.
 */
export function assertSameOrigin(request: Request, options: Pick<ResolvedBatonOptions, 'allowedOrigins'>): void {
  const origin = request.headers.get('origin')
  const site = request.headers.get('sec-fetch-site')
  if (origin !== null) {
    if (origin === 'null' || !isOwnOrigin(request, origin, options)) throw csrf()
    return
  }
  if (site !== null && site !== 'same-origin' && site !== 'none') throw csrf()
}

function isOwnOrigin(request: Request, origin: string, options: Pick<ResolvedBatonOptions, 'allowedOrigins'>): boolean {
  if (options.allowedOrigins.has(origin)) return true
  let host: string
  try {
    host = new URL(origin).host
  } catch {
    return false
  }
  // Compare hosts, not schemes: behind a TLS-terminating proxy the app sees http.
  const own = request.headers.get('host') ?? new URL(request.url).host
  return host.length > 0 && host.toLowerCase() === own.toLowerCase()
}

function csrf(): BatonError {
  return new BatonError('ERR_CSRF', 'Cross-site request refused.')
}

/**
 * Reads a JSON object body: 415 without JSON content type, 413 when too large, 400 when malformed.
 * `optional`: a request with no body at all (no content type, no length, not chunked) reads as `{}`.
 */
export async function readJsonBody(
  request: Request,
  options: Pick<ResolvedBatonOptions, 'maxBodyBytes'>,
  { optional = false } = {},
): Promise<Record<string, unknown>> {
  const type = request.headers.get('content-type')
  const length = request.headers.get('content-length')
  // A chunked body has no length: "no type and no length" means no body only without Transfer-Encoding.
  // Acting on a request whose body has not arrived would let a body broken in transit (Node answers 400)
  // still sign someone out.
  const chunked = request.headers.has('transfer-encoding')
  if (optional && !type && !chunked && (length === null || length === '0')) return {}
  if (!type || !/^application\/json\s*(;\s*charset\s*=\s*"?utf-8"?\s*)?$/i.test(type.trim())) {
    throw new BatonError('ERR_UNSUPPORTED_MEDIA_TYPE', 'Send the body as application/json.')
  }
  if (length !== null && !(Number(length) <= options.maxBodyBytes)) throw tooLarge(options)
  const text = await readLimited(request, options.maxBodyBytes)
  if (optional && text.trim() === '') return {}
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    throw new BatonError('ERR_BAD_REQUEST', 'The body is not valid JSON.')
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new BatonError('ERR_BAD_REQUEST', 'The body must be a JSON object.')
  }
  return value as Record<string, unknown>
}

function tooLarge(options: Pick<ResolvedBatonOptions, 'maxBodyBytes'>): BatonError {
  return new BatonError('ERR_PAYLOAD_TOO_LARGE', `The body exceeds ${options.maxBodyBytes} bytes.`)
}

/** Reads the body as UTF-8 without ever buffering more than `limit` bytes; invalid UTF-8 is a 400. */
async function readLimited(request: Request, limit: number): Promise<string> {
  if (!request.body) return ''
  const reader = request.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > limit) {
      await reader.cancel().catch(() => undefined)
      throw new BatonError('ERR_PAYLOAD_TOO_LARGE', `The body exceeds ${limit} bytes.`)
    }
    chunks.push(value)
  }
  const bytes = new Uint8Array(size)
  let offset = 0
  for (const chunk of chunks) {
    bytes.set(chunk, offset)
    offset += chunk.byteLength
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    throw new BatonError('ERR_BAD_REQUEST', 'The body is not valid UTF-8.')
  }
}
