/**
 * The one shape Baton accepts for a signed token: the JWS compact
 * serialization (RFC 7515 §7.1) with every part in **canonical** base64url
 * (RFC 4648 §5, no padding): only the 64 letters of the alphabet, a length
 * that is not 1 mod 4, and the unused low bits of the last character zero
 * (RFC 4648 §3.5). A non-canonical part decodes to the same bytes as its
 * canonical twin, so accepting it would give one signed token several
 * spellings (Wycheproof JWS case 375: a MAC over the non-canonical payload
 * `AB`, which jose alone accepts). `verifyAccessTokenWith` applies this check
 * once, before any verifier runs, so every verifier refuses the same tokens;
 * a verifier takes a {@link CanonicalCompactJws}, which only this check makes,
 * so the compiler refuses a call that skipped it. Runs unchanged in Node,
 * Edge and browsers.
 */

declare const canonical: unique symbol

/** A string that passed {@link isCanonicalCompactJws}: the only input a JWS verifier takes. */
export type CanonicalCompactJws = string & { readonly [canonical]: true }

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/

/** The 6-bit value of a base64url character already known to be in the alphabet. */
function sextet(code: number): number {
  if (code === 45) return 62 // -
  if (code === 95) return 63 // _
  if (code >= 97) return code - 71 // a-z → 26..51
  if (code >= 65) return code - 65 // A-Z → 0..25
  return code + 4 // 0-9 → 52..61
}

/** True when `segment[start, end)` is canonical unpadded base64url, given that it uses only the alphabet. */
function canonicalSegment(token: string, start: number, end: number): boolean {
  const remainder = (end - start) % 4
  if (remainder === 0) return true
  if (remainder === 1) return false
  const unusedBits = remainder === 2 ? 0b1111 : 0b11
  return (sextet(token.charCodeAt(end - 1)) & unusedBits) === 0
}

/**
 * True when `token` is a string of three non-empty canonical base64url parts
 * joined by dots: the JWS compact serialization, each part spelt exactly as
 * an encoder writes it. Says nothing about what the parts decode to.
 */
export function isCanonicalCompactJws(token: unknown): token is CanonicalCompactJws {
  if (typeof token !== 'string' || !COMPACT_JWS.test(token)) return false
  const first = token.indexOf('.')
  const second = token.indexOf('.', first + 1)
  return (
    canonicalSegment(token, 0, first) &&
    canonicalSegment(token, first + 1, second) &&
    canonicalSegment(token, second + 1, token.length)
  )
}
