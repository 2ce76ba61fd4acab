/**
 * DPoP (RFC 9449): the key the provider's tokens are bound to. Derived from
 * Baton's secret (HKDF, its own label), so every instance holds the same key
 * and none is ever stored: a copied row of sealed provider tokens is useless
 * without the secret, and a leaked provider token without the key. ES256, the
 * DPoP algorithm providers support most widely.
 */

/** PKCS #8 wrapping of a bare P-256 private scalar (the public point is computed on import). */
const P256_PKCS8_PREFIX = Uint8Array.from([
  0x30, 0x41, 0x02, 0x01, 0x00, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a,
  0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x04, 0x27, 0x30, 0x25, 0x02, 0x01, 0x01, 0x04, 0x20,
])

/** HKDF label of the DPoP key. */
export const DPOP_KEY_LABEL = 'oidc/dpop/p256'

/**
 * The DPoP key pair derived from `deriveKey(label)` (32 bytes). A scalar at or
 * above the curve order (probability ~2⁻³²) is refused by the import: the next
 * label is tried.
 */
export async function derivedDpopKey(deriveKey: (label: string) => Promise<Uint8Array>): Promise<CryptoKeyPair> {
  for (let attempt = 0; ; attempt++) {
    const d = await deriveKey(attempt === 0 ? DPOP_KEY_LABEL : `${DPOP_KEY_LABEL}/${attempt}`)
    const der = new Uint8Array(P256_PKCS8_PREFIX.length + 32)
    der.set(P256_PKCS8_PREFIX)
    der.set(d.subarray(0, 32), P256_PKCS8_PREFIX.length)
    const algorithm = { name: 'ECDSA', namedCurve: 'P-256' }
    let exportable: CryptoKey
    try {
      exportable = await crypto.subtle.importKey('pkcs8', der, algorithm, true, ['sign'])
    } catch (error) {
      if (attempt < 3) continue
      throw error
    }
    const { x, y } = await crypto.subtle.exportKey('jwk', exportable)
    const publicKey = await crypto.subtle.importKey('jwk', { kty: 'EC', crv: 'P-256', x, y }, algorithm, true, [
      'verify',
    ])
    // The private half stays non-extractable from here on.
    const privateKey = await crypto.subtle.importKey('pkcs8', der, algorithm, false, ['sign'])
    der.fill(0)
    return { privateKey, publicKey }
  }
}
