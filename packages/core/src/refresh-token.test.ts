import { describe, expect, it } from 'vitest'
import { refreshTokens } from './refresh-token.js'
import { deriveSecret } from './secret.js'

describe('refresh tokens', () => {
  const tokens = refreshTokens()

  it('are 256 random bits behind a fixed prefix, never repeating', () => {
    const batch = Array.from({ length: 2000 }, () => tokens.generate())
    expect(new Set(batch).size).toBe(batch.length)
    for (const t of batch.slice(0, 50)) expect(t).toMatch(/^brt_[A-Za-z0-9_-]{43}$/)
    const bits = batch.map((t) => t.slice(4, 5))
    expect(new Set(bits).size).toBeGreaterThan(40)
  })

  it('hash to SHA-256 base64url, and the hash reveals nothing of the token', async () => {
    const t = tokens.generate()
    const h = await tokens.hash(t)
    expect(h).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(h).toBe(await tokens.hash(t))
    expect(h).not.toContain(t.slice(4, 14))
    // Known vector: printf brt_abc | openssl dgst -sha256 -binary | base64url
    expect(await tokens.hash('brt_abc')).toBe('o-7l8lMVYI-HkUCU10kDIbg5bQBpq111zd77wvkpzqI')
  })

  it('derive the same successor for the same parent and key, and a different one otherwise', async () => {
    const a = await deriveSecret('a'.repeat(32))
    const b = await deriveSecret('b'.repeat(32))
    const parent = tokens.generate()
    const s1 = await tokens.successor(parent, a.successorKey)
    expect(await tokens.successor(parent, a.successorKey)).toBe(s1)
    expect(await tokens.successor(parent, b.successorKey)).not.toBe(s1)
    expect(await tokens.successor(tokens.generate(), a.successorKey)).not.toBe(s1)
    expect(tokens.isWellFormed(s1)).toBe(true)
  })

  it('accept only their exact shape, with a custom prefix too', () => {
    const custom = refreshTokens('acme_')
    const t = custom.generate()
    expect(custom.isWellFormed(t)).toBe(true)
    expect(tokens.isWellFormed(t)).toBe(false)
    for (const bad of [
      t + 'x',
      t.slice(0, -1),
      t.replace(/.$/, '='),
      ` ${t}`,
      t.toUpperCase().replace('ACME_', 'acme_') + '\u0000',
    ]) {
      expect(custom.isWellFormed(bad), bad).toBe(false)
    }
  })
})
