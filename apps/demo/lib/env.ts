import { join } from 'node:path'
import { type OidcDemoEnv, readOidcEnv } from './oidc-env'

/** Where the demo keeps its SQLite file and generated secret. */
export const DATA_DIR = process.env.BATON_DATA_DIR ?? join(process.cwd(), '.data')

/** The demo's environment, read once and checked (see the README's table). */
export interface DemoEnv {
  database: { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string }
  /** Undefined: generate one and keep it under `.data/`. */
  secret: string | undefined
  accessTtl: number
  refreshTtl: number
  reuseGrace: number
  /** Failed-or-not sign-in attempts allowed per minute and (IP, account). */
  loginRateLimit: number
  upstreamUrl: string | undefined
  /** OpenID Connect mode (`BATON_OIDC_ISSUER` set): sign-in at the provider, no passwords here. */
  oidc: OidcDemoEnv | undefined
  /** Reverse proxies in front of the app that append to X-Forwarded-For. */
  trustProxy: number
}

/** A whole number from the environment (most are seconds). */
function seconds(name: string, fallback: number, min = 1): number {
  const raw = process.env[name]
  if (raw === undefined || raw === '') return fallback
  const value = Number(raw)
  if (!Number.isInteger(value) || value < min) {
    throw new Error(`${name} must be a whole number ≥ ${min}, got ${JSON.stringify(raw)}.`)
  }
  return value
}

function database(): DemoEnv['database'] {
  const raw = process.env.BATON_DATABASE_URL?.trim()
  if (!raw) return { kind: 'sqlite', file: join(DATA_DIR, 'baton.db') }
  if (/^postgres(ql)?:\/\//.test(raw)) return { kind: 'postgres', url: raw }
  if (raw.startsWith('file:')) return { kind: 'sqlite', file: raw.slice('file:'.length) }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(raw)) {
    throw new Error(
      `BATON_DATABASE_URL: only postgres:// URLs or SQLite file paths are supported, got ${raw.split(':')[0]}://…`,
    )
  }
  return { kind: 'sqlite', file: raw }
}

function upstream(): string | undefined {
  const raw = process.env.BATON_UPSTREAM_URL?.trim()
  if (!raw) return undefined
  try {
    const url = new URL(raw)
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error()
    return url.href.replace(/\/$/, '')
  } catch {
    throw new Error(`BATON_UPSTREAM_URL must be an http(s) URL, got ${JSON.stringify(raw)}.`)
  }
}

/** The environment, checked: a bad value stops the start with a message naming the variable. */
export function readEnv(): DemoEnv {
  const oidc = readOidcEnv()
  const upstreamUrl = upstream()
  if (oidc && upstreamUrl) throw new Error('Set BATON_OIDC_ISSUER or BATON_UPSTREAM_URL, not both.')
  return {
    database: database(),
    secret: process.env.BATON_SECRET || undefined,
    accessTtl: seconds('BATON_ACCESS_TTL', 900),
    refreshTtl: seconds('BATON_REFRESH_TTL', 604_800),
    reuseGrace: seconds('BATON_REUSE_GRACE', 10, 0),
    loginRateLimit: seconds('BATON_LOGIN_RATE_LIMIT', 5),
    upstreamUrl,
    oidc,
    trustProxy: seconds('BATON_TRUST_PROXY', 0, 0),
  }
}
