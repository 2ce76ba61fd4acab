// Options resolved once, at startup: a bad cookie name, path or origin fails here, not per request.
import { ConfigError, seconds } from '../verify.js'
import { resolveCookieSettings } from './cookies/cookie-settings.js'
import type { Credentials } from './credentials.js'
import { resolveCors } from './http/cors.js'
import { resolvePublicOrigin } from './http/public-origin.js'
import type { BatonOptions, PathRule, ResolvedBatonOptions } from './options.js'

/** Turns a path rule into a predicate; prefixes must start with "/". */
export function matcher(rule: PathRule | undefined, fallback: readonly string[]): (pathname: string) => boolean {
  if (typeof rule === 'function') return rule
  const prefixes = [...(rule ?? fallback)]
  for (const prefix of prefixes) {
    if (typeof prefix !== 'string' || !prefix.startsWith('/'))
      throw new ConfigError(`Path "${prefix}" must start with "/".`)
  }
  const bare = prefixes.map((p) => (p.length > 1 && p.endsWith('/') ? p.slice(0, -1) : p))
  return (pathname) => bare.some((p) => p === '/' || pathname === p || pathname.startsWith(`${p}/`))
}

/** Largest `refreshLeeway` (seconds) anywhere in Baton: above it, milliseconds were surely meant. */
export const MAX_REFRESH_LEEWAY = 3600

/** A count (not a duration: those go through `seconds`). */
function positive(name: string, value: number | undefined, fallback: number): number {
  const v = value ?? fallback
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new ConfigError(`\`${name}\` must be a number ≥ 0.`)
  return v
}

/** A boolean option (default false); anything else is a mistake worth failing at startup. */
function flag(name: string, value: boolean | undefined): boolean {
  if (value !== undefined && typeof value !== 'boolean') throw new ConfigError(`\`${name}\` must be a boolean.`)
  return value === true
}

const IDENTITY_FIELDS = ['email', 'username', 'login'] as const

const defaultAccountKey = (credentials: Credentials): string | null => {
  // Exactly one identity field: otherwise a junk second field would change the
  // key on every attempt and slip past the per-account limit.
  const present = IDENTITY_FIELDS.filter((f) => Object.hasOwn(credentials, f))
  if (present.length !== 1) return null
  const value = credentials[present[0] as string]
  // NFKC before lower-casing: compatibility forms such as "ℌ" or "𝐀" normalise to
  // capitals, which lower-casing first would leave as distinct keys (a way
  // round the per-account limit against an app that normalises its logins).
  return typeof value === 'string' ? value.normalize('NFKC').toLowerCase().trim() : null
}

/** Validates the adapter options at startup (a bad cookie name or path fails here, not per request). */
export function resolveBatonOptions(options: BatonOptions): ResolvedBatonOptions {
  if (typeof options.authenticate !== 'function' && !options.upstream && !options.oidc)
    throw new ConfigError('`authenticate(credentials, request)` is required (or `upstream: { url }`, or `oidc`).')
  if (options.upstream && options.oidc)
    throw new ConfigError('`upstream` and `oidc` both keep third-party tokens in the session: use one of them.')
  const basePath = options.basePath ?? '/api/auth'
  // Segments only: "//host" would make URLs built from it protocol-relative.
  if (typeof basePath !== 'string' || !/^(\/[A-Za-z0-9_-]+)+$/.test(basePath))
    throw new ConfigError('`basePath` must look like "/api/auth".')
  const signInPath = options.paths?.signIn ?? '/login'
  // Never "//evil.example": a redirect to it would leave the site.
  if (typeof signInPath !== 'string' || !/^\/(?!\/)[A-Za-z0-9/_.-]*$/.test(signInPath))
    throw new ConfigError('`paths.signIn` must be a path like "/login".')
  const isPublic = matcher(options.paths?.public, [])
  const protectedMatch = matcher(options.paths?.protected, [])
  const limit = options.rateLimit === false ? null : (options.rateLimit ?? {})
  const allowedOrigins = new Set<string>()
  for (const origin of options.allowedOrigins ?? []) {
    let parsed: URL
    try {
      parsed = new URL(origin)
    } catch {
      throw new ConfigError(`allowedOrigins: "${origin}" is not a URL.`)
    }
    if (parsed.origin !== origin) throw new ConfigError(`allowedOrigins: use the bare origin "${parsed.origin}".`)
    allowedOrigins.add(origin)
  }
  const cors = resolveCors(options.cors)
  // One trust decision: an origin that may read credentialed answers may also send state-changing calls.
  for (const origin of cors?.origins ?? []) allowedOrigins.add(origin)
  return {
    basePath,
    cookies: resolveCookieSettings(options.cookies),
    isProtected: (pathname) => protectedMatch(pathname) && !isPublic(pathname) && pathname !== signInPath,
    isApi: matcher(options.paths?.api, ['/api']),
    signInPath,
    refreshLeewayMs: seconds('refreshLeeway', options.refreshLeeway, 60, { max: MAX_REFRESH_LEEWAY }),
    rateLimit: limit && {
      limit: Math.floor(positive('rateLimit.limit', limit.limit, 5)),
      windowMs: seconds('rateLimit.window', limit.window, 60, { max: 86_400 }),
      accountLimit: Math.floor(positive('rateLimit.accountLimit', limit.accountLimit, 20)),
    },
    trustProxy: Math.floor(positive('trustProxy', options.trustProxy, 0)),
    clientIp: options.clientIp,
    publicOrigin: resolvePublicOrigin(options.publicOrigin),
    allowedOrigins,
    cors,
    maxBodyBytes: Math.floor(positive('maxBodyBytes', options.maxBodyBytes, 16_384)),
    tokenTransport: flag('tokenTransport', options.tokenTransport),
    accountKey: options.accountKey ?? defaultAccountKey,
  }
}
