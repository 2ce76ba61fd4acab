/** A JWT's header fields worth showing, and its claims. The signature is never read. */
export interface DecodedToken {
  alg: string | null
  kid: string | null
  claims: Record<string, unknown>
}

function decodePart(part: string): Record<string, unknown> {
  const base64 = part.replace(/-/g, '+').replace(/_/g, '/')
  const bytes = Uint8Array.from(atob(base64.padEnd(Math.ceil(base64.length / 4) * 4, '=')), (c) => c.charCodeAt(0))
  const value = JSON.parse(new TextDecoder().decode(bytes))
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new TypeError('not a JSON object')
  return value
}

/** Decodes (does not verify) a compact JWT's header and payload; null when it is not one. */
export function decodeToken(token: string | null): DecodedToken | null {
  const [header, payload] = token?.split('.') ?? []
  if (!header || !payload) return null
  try {
    const head = decodePart(header)
    return {
      alg: typeof head.alg === 'string' ? head.alg : null,
      kid: typeof head.kid === 'string' ? head.kid : null,
      claims: decodePart(payload),
    }
  } catch {
    return null
  }
}
