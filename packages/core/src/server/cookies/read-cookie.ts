/** Characters a Baton cookie value can contain (JWT and refresh-token alphabets). */
const VALUE = /^[A-Za-z0-9._~-]{1,8192}$/

/**
 * Reads one cookie from a `Cookie` header. Robust to hostile headers:
 * only the exact name matches (a `__Host-` name is never satisfied by an
 * unprefixed twin), the first occurrence wins when a name is repeated (the
 * browser lists the longest path, then the oldest cookie first), and a value
 * outside the token alphabet reads as absent.
 */
export function readCookie(header: string | null | undefined, name: string): string | undefined {
  if (!header || header.length > 32_768) return undefined
  for (const part of header.split(';')) {
    const eq = part.indexOf('=')
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue
    let value = part.slice(eq + 1).trim()
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1)
    return VALUE.test(value) ? value : undefined
  }
  return undefined
}

/**
 * Returns a `Cookie` header with `updates` applied: each named cookie is
 * replaced (every duplicate removed) or, with value null, deleted. Used to
 * hand refreshed tokens to the page rendered in the same request.
 */
export function rewriteCookieHeader(header: string | null | undefined, updates: Record<string, string | null>): string {
  const kept = (header ?? '')
    .split(';')
    .map((part) => part.trim())
    .filter((part) => part.length > 0 && !Object.hasOwn(updates, part.slice(0, Math.max(0, part.indexOf('='))).trim()))
  for (const [name, value] of Object.entries(updates)) if (value !== null) kept.push(`${name}=${value}`)
  return kept.join('; ')
}
