import { BadRequestError, ConfigError } from '../../verify.js'

/** What decides the origin the browser used: a configured one, or the request's headers. */
export interface OriginSettings {
  /** The app's public origin (`https://app.example.com`), when configured: it wins over every header. */
  publicOrigin: string | null
  /** Reverse proxies of yours in front of the app; above 0, `X-Forwarded-Host`/`-Proto` are believed. */
  trustProxy: number
}

/** A host name (DNS labels or IPv4) or a bracketed IPv6 address, with an optional port. */
const HOST =
  /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?|\[[0-9A-Fa-f:.]{2,45}\])(?::\d{1,5})?$/

/**
 * Validates `publicOrigin` at startup: a bare `http(s)://host[:port]`
 * origin, no path, or `undefined`/empty (derive it from each request).
 */
export function resolvePublicOrigin(value: string | undefined): string | null {
  if (value === undefined || value === '') return null
  let parsed: URL
  try {
    parsed = new URL(value)
  } catch {
    throw new ConfigError(`publicOrigin: "${value}" is not a URL.`)
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
    throw new ConfigError('publicOrigin must be an http(s) origin.')
  if (parsed.origin !== value.replace(/\/$/, ''))
    throw new ConfigError(`publicOrigin: use the bare origin "${parsed.origin}".`)
  return parsed.origin
}

/** The host a request was sent to, or null when `Host` is missing or not a valid host. */
export function requestHost(request: Request): string | null {
  const host = request.headers.get('host')
  return host !== null && isValidHost(host) ? host.toLowerCase() : null
}

/** True for `name[:port]`, `1.2.3.4[:port]` and `[v6][:port]`; false for anything with a path, user or space. */
export function isValidHost(host: string): boolean {
  if (host.length === 0 || host.length > 260 || !HOST.test(host)) return false
  const port = /:(\d+)$/.exec(host.startsWith('[') ? host.slice(host.indexOf(']')) : host)
  return port === null || Number(port[1]) <= 65_535
}

/** The entry `trustProxy` entries from the right of a comma list a proxy may have appended to. */
function trustedEntry(header: string | null, trustProxy: number): string | null {
  if (header === null) return null
  const chain = header
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
  return chain[Math.max(0, chain.length - trustProxy)] ?? null
}

/**
 * The origin the browser used for this request, for absolute URLs such as
 * the sign-in redirect. `request.nextUrl` cannot tell: Next 15 derives it
 * from the address `next start` listens on (`http://localhost:3000`), not
 * from what the browser asked for.
 *
 * In order: `publicOrigin` when configured; with `trustProxy` ≥ 1, the
 * `X-Forwarded-Host` and `X-Forwarded-Proto` of the outermost trusted proxy;
 * otherwise `Host` (or, lacking one, `fallbackUrl`'s host) with the scheme of
 * `fallbackUrl`, the URL the app was reached by. An untrusted
 * `X-Forwarded-Host` is never read, so a client cannot pick the redirect
 * target through it. A missing or malformed host is a 400, never a 500.
 */
export function publicOriginOf(request: Request, fallbackUrl: URL, settings: OriginSettings): string {
  if (settings.publicOrigin) return settings.publicOrigin
  let scheme = fallbackUrl.protocol.replace(/:$/, '')
  // No Host at all happens only with hand-built requests (Node answers 400 itself): use the URL's.
  let host = request.headers.get('host') ?? fallbackUrl.host
  if (settings.trustProxy > 0) {
    const forwardedHost = trustedEntry(request.headers.get('x-forwarded-host'), settings.trustProxy)
    const forwardedProto = trustedEntry(request.headers.get('x-forwarded-proto'), settings.trustProxy)
    if (forwardedHost !== null) host = forwardedHost
    if (forwardedProto !== null) scheme = forwardedProto.toLowerCase()
  }
  if (scheme !== 'http' && scheme !== 'https') throw new BadRequestError('The forwarded protocol is not http or https.')
  if (!isValidHost(host)) throw badHost()
  try {
    // Through URL: lower case, punycode, default ports dropped.
    return new URL(`${scheme}://${host}`).origin
  } catch {
    throw badHost()
  }
}

/** Made only when thrown: an error captures a stack trace, which the same-origin check paid on every request. */
function badHost(): BadRequestError {
  return new BadRequestError('The Host header is not a valid host.')
}

/**
 * The hosts a same-origin `Origin` may name: the request's `Host`, plus the
 * configured public origin's or, with trusted proxies, the forwarded host.
 * Schemes are not compared: behind a TLS-terminating proxy the app sees http.
 */
export function ownHosts(request: Request, settings: OriginSettings): Set<string> {
  const hosts = new Set<string>()
  const host = requestHost(request) ?? safeUrlHost(request.url)
  if (host) hosts.add(host)
  try {
    hosts.add(new URL(publicOriginOf(request, new URL(request.url), settings)).host)
  } catch {
    // A bad forwarded header adds nothing; the plain Host check still applies.
  }
  return hosts
}

function safeUrlHost(url: string): string | null {
  try {
    return new URL(url).host.toLowerCase() || null
  } catch {
    return null
  }
}
