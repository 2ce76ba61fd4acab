import type { CookieSettings } from '../cookies/cookie-settings.js'
import { readCookie } from '../cookies/read-cookie.js'
import type { CookieInstruction } from '../cookies/set-cookie.js'
import type { JsonSealer } from '../upstream/sealed-json.js'

/** Seconds a sign-in attempt may take at the provider. */
export const TRANSACTION_TTL_SECONDS = 600

/**
 * Sign-in attempts kept at once (several tabs). Each is a ~0.5 KB cookie sent
 * with every request for ten minutes: without a cap, a user clicking "Sign in"
 * again and again would grow the Cookie header until servers answer 431.
 */
export const MAX_OPEN_TRANSACTIONS = 3

/** One sign-in attempt: what the callback must check, sealed in a cookie of its own. */
export interface OidcTransaction {
  provider: string
  state: string
  nonce: string
  codeVerifier: string
  returnTo: string
  /** Wall-clock ms after which the attempt is refused. */
  expiresAt: number
}

/**
 * The attempt's cookie name, from its `state`: each attempt has its own
 * cookie, so two tabs signing in at once do not overwrite each other's.
 */
export function transactionCookieName(settings: CookieSettings, state: string): string {
  return `${settings.hostPrefix ? '__Host-' : ''}baton.oidc.${state.replace(/[^A-Za-z0-9_-]/g, '').slice(0, 16)}`
}

function instruction(
  settings: CookieSettings,
  name: string,
  value: string,
  maxAge: number,
  now: number,
): CookieInstruction {
  return {
    name,
    value,
    maxAge,
    expires: maxAge === 0 ? 0 : now + maxAge * 1000,
    path: '/',
    httpOnly: true,
    secure: settings.secure,
    // The provider sends the browser back with a cross-site top-level GET: only Lax cookies come along.
    sameSite: 'lax',
  }
}

/** Seals a new attempt into its cookie. */
export async function transactionCookie(
  sealer: JsonSealer,
  settings: CookieSettings,
  tx: OidcTransaction,
  now: number,
): Promise<CookieInstruction> {
  const { provider: p, state: s, nonce: n, codeVerifier: v, returnTo: r, expiresAt: exp } = tx
  const sealed = await sealer.seal({ v: 1, p, s, n, cv: v, r, exp })
  return instruction(settings, transactionCookieName(settings, tx.state), sealed, TRANSACTION_TTL_SECONDS, now)
}

/** The deletion of an attempt's cookie (after the callback, whatever its outcome). */
export function clearTransactionCookie(settings: CookieSettings, state: string): CookieInstruction {
  return instruction(settings, transactionCookieName(settings, state), '', 0, 0)
}

/**
 * Opens the attempt a callback's `state` names, or null when its cookie is
 * missing, expired, tampered with or belongs to another attempt or provider.
 */
export async function openTransaction(
  sealer: JsonSealer,
  settings: CookieSettings,
  input: { cookieHeader: string | null; state: string; provider: string; now: number },
): Promise<OidcTransaction | null> {
  const sealed = readCookie(input.cookieHeader, transactionCookieName(settings, input.state))
  if (!sealed) return null
  const value = await sealer.open(sealed)
  if (value?.v !== 1) return null
  const { p, s, n, cv, r, exp } = value
  if (typeof p !== 'string' || typeof s !== 'string' || typeof n !== 'string' || typeof cv !== 'string') return null
  if (typeof r !== 'string' || typeof exp !== 'number') return null
  if (s !== input.state || p !== input.provider || input.now >= exp) return null
  return { provider: p, state: s, nonce: n, codeVerifier: cv, returnTo: r, expiresAt: exp }
}

/**
 * The deletions that keep a new attempt within {@link MAX_OPEN_TRANSACTIONS}:
 * the oldest open attempts (unreadable ones first) make room for the new one.
 */
export async function staleTransactions(
  sealer: JsonSealer,
  settings: CookieSettings,
  cookieHeader: string | null,
): Promise<CookieInstruction[]> {
  const prefix = `${settings.hostPrefix ? '__Host-' : ''}baton.oidc.`
  const open: { name: string; expiresAt: number }[] = []
  for (const part of (cookieHeader ?? '').split(';')) {
    const eq = part.indexOf('=')
    const name = part.slice(0, eq).trim()
    if (eq < 0 || !name.startsWith(prefix)) continue
    const value = await sealer.open(part.slice(eq + 1).trim())
    open.push({ name, expiresAt: typeof value?.exp === 'number' ? value.exp : 0 })
  }
  if (open.length < MAX_OPEN_TRANSACTIONS) return []
  open.sort((a, b) => a.expiresAt - b.expiresAt)
  return open.slice(0, open.length - MAX_OPEN_TRANSACTIONS + 1).map(({ name }) => instruction(settings, name, '', 0, 0))
}
