import {
  BadRequestError,
  type BatonError,
  CsrfError,
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
} from '../../verify.js'
import type { ResolvedBatonOptions } from '../options.js'
import { type OriginSettings, ownHosts, requestHost } from './public-origin.js'

/** What the same-origin check reads: extra allowed origins, and how to know the app's own host. */
export type OriginGuard = Pick<ResolvedBatonOptions, 'allowedOrigins'> & Partial<OriginSettings>

/**
 * Refuses cross-site calls to state-changing routes (CSRF, login CSRF).
 *
 * - With `Origin`: it must name this app — the request's `Host`, the
 *   configured `publicOrigin`, or with `trustProxy` the forwarded host — or
 *   be listed in `allowedOrigins`. `Origin: null` (sandboxed frames, some
 *   redirects) is refused.
 * - Without `Origin`: only `Sec-Fetch-Site: same-origin` is accepted.
 *   Browsers send `Origin` on every POST, PUT, PATCH and DELETE, so a
 *   request with neither header comes from a non-browser client, which must
 *   now say where it comes from (`Origin: https://your.app`) instead of
 *   being waved through.
 */
export function assertSameOrigin(request: Request, options: OriginGuard): void {
  const origin = request.headers.get('origin')
  if (origin !== null) {
    if (origin === 'null' || !isOwnOrigin(request, origin, options)) throw csrf()
    return
  }
  if (request.headers.get('sec-fetch-site') !== 'same-origin') throw csrf()
}

function isOwnOrigin(request: Request, origin: string, options: OriginGuard): boolean {
  if (options.allowedOrigins.has(origin)) return true
  let host: string
  try {
    host = new URL(origin).host
  } catch {
    return false
  }
  if (host.length === 0) return false
  // Compare hosts, not schemes: behind a TLS-terminating proxy the app sees http.
  // The request's own Host is one of ownHosts(): when it matches, the rest need not be worked out.
  if (host.toLowerCase() === requestHost(request)) return true
  const settings = { publicOrigin: options.publicOrigin ?? null, trustProxy: options.trustProxy ?? 0 }
  return ownHosts(request, settings).has(host.toLowerCase())
}

function csrf(): BatonError {
  return new CsrfError()
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
    throw new UnsupportedMediaTypeError()
  }
  if (length !== null && !(Number(length) <= options.maxBodyBytes)) throw tooLarge(options)
  const text = await readLimited(request, options.maxBodyBytes)
  if (optional && text.trim() === '') return {}
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    throw new BadRequestError('The body is not valid JSON.')
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new BadRequestError('The body must be a JSON object.')
  }
  return value as Record<string, unknown>
}

/** A bounded `application/x-www-form-urlencoded` body (OpenID Connect back-channel logout). */
export async function readFormBody(
  request: Request,
  options: Pick<ResolvedBatonOptions, 'maxBodyBytes'>,
): Promise<URLSearchParams> {
  const type = request.headers.get('content-type')
  if (!type || !/^application\/x-www-form-urlencoded\s*(;.*)?$/i.test(type.trim()))
    throw new UnsupportedMediaTypeError()
  const length = request.headers.get('content-length')
  if (length !== null && !(Number(length) <= options.maxBodyBytes)) throw tooLarge(options)
  return new URLSearchParams(await readLimited(request, options.maxBodyBytes))
}

function tooLarge(options: Pick<ResolvedBatonOptions, 'maxBodyBytes'>): BatonError {
  return new PayloadTooLargeError(`The body exceeds ${options.maxBodyBytes} bytes.`)
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
      throw new PayloadTooLargeError(`The body exceeds ${limit} bytes.`)
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
    throw new BadRequestError('The body is not valid UTF-8.')
  }
}
