import { beforeEach, describe, expect, it, vi } from 'vitest'

const calls = vi.hoisted(() => ({ scrypt: [] as { N?: number; r?: number; p?: number }[] }))

vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:crypto')>()
  const scrypt = ((...args: Parameters<typeof actual.scrypt>) => {
    const options = args[3] as { N?: number; r?: number; p?: number }
    calls.scrypt.push({ N: options.N, r: options.r, p: options.p })
    return (actual.scrypt as (...a: unknown[]) => void)(...args)
  }) as typeof actual.scrypt
  return { ...actual, default: { ...actual, scrypt }, scrypt }
})

const { hashPassword, verifyPassword } = await import('./passwords.js')

beforeEach(() => {
  calls.scrypt.length = 0
})

describe('hashPassword / verifyPassword', () => {
  it('round-trips, with a fresh salt each time', async () => {
    const a = await hashPassword('correct horse')
    const b = await hashPassword('correct horse')
    expect(a).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/)
    expect(a).not.toBe(b)
    expect(await verifyPassword('correct horse', a)).toBe(true)
    expect(await verifyPassword('correct horse', b)).toBe(true)
  })

  it('refuses a wrong password, near misses included', async () => {
    const hash = await hashPassword('correct horse')
    for (const wrong of [
      'correct horse ',
      'Correct horse',
      'correct hors',
      '',
      '\u0000correct horse',
      'correct\u0000horse',
    ]) {
      expect(await verifyPassword(wrong, hash)).toBe(false)
    }
  })

  it('handles unicode, NUL and long passwords', async () => {
    for (const password of ['пароль🦄', 'a\u0000b', 'x'.repeat(1024), '\ud800']) {
      const hash = await hashPassword(password)
      expect(await verifyPassword(password, hash)).toBe(true)
    }
    expect(await verifyPassword('a', await hashPassword('a\u0000b'))).toBe(false)
  })

  it('normalises to NFKC, so the same password typed differently verifies', async () => {
    expect(await verifyPassword('fi', await hashPassword('ﬁ'))).toBe(true)
    expect(await verifyPassword('\u00c5', await hashPassword('\u212b'))).toBe(true)
    expect(await verifyPassword('e\u0301', await hashPassword('\u00e9'))).toBe(true)
    expect(await verifyPassword('ｐａｓｓ', await hashPassword('pass'))).toBe(true)
  })

  it('an unknown account (null) is false, after the same scrypt work as a real check', async () => {
    const hash = await hashPassword('pw')
    calls.scrypt.length = 0
    expect(await verifyPassword('pw', hash)).toBe(true)
    expect(await verifyPassword('pw', null)).toBe(false)
    expect(await verifyPassword('', null)).toBe(false)
    // One derivation each, with the same parameters: no shortcut reveals that the account is unknown.
    expect(calls.scrypt).toEqual([
      { N: 16384, r: 8, p: 1 },
      { N: 16384, r: 8, p: 1 },
      { N: 16384, r: 8, p: 1 },
    ])
  })

  it('a missing password (a JS caller passing undefined) is false, never a throw, after the same work', async () => {
    const hash = await hashPassword('pw')
    calls.scrypt.length = 0
    expect(await verifyPassword(undefined as never, hash)).toBe(false)
    expect(await verifyPassword(42 as never, hash)).toBe(false)
    expect(await verifyPassword(null as never, null)).toBe(false)
    expect(calls.scrypt).toHaveLength(3)
  })

  const SALT = 'AAAAAAAAAAAAAAAAAAAAAA'
  const KEY = 'A'.repeat(43)
  it.each([
    ['empty', ''],
    ['another scheme', `bcrypt$16384$8$1$${SALT}$${KEY}`],
    ['too few parts', `scrypt$16384$8$1$${SALT}`],
    ['too many parts', `scrypt$16384$8$1$${SALT}$${KEY}$x`],
    ['a non-numeric N', `scrypt$abc$8$1$${SALT}$${KEY}`],
    ['a fractional r', `scrypt$16384$8.5$1$${SALT}$${KEY}`],
    ['an exponent', `scrypt$1e4$8$1$${SALT}$${KEY}`],
    ['a negative N', `scrypt$-16384$8$1$${SALT}$${KEY}`],
    ['N = 0', `scrypt$0$8$1$${SALT}$${KEY}`],
    ['N = 1', `scrypt$1$8$1$${SALT}$${KEY}`],
    ['N not a power of two', `scrypt$16383$8$1$${SALT}$${KEY}`],
    ['r = 0', `scrypt$16384$0$1$${SALT}$${KEY}`],
    ['p = 0', `scrypt$16384$8$0$${SALT}$${KEY}`],
    ['an empty salt', `scrypt$16384$8$1$$${KEY}`],
    ['an empty key', `scrypt$16384$8$1$${SALT}$`],
    ['a short key', `scrypt$16384$8$1$${SALT}$${'A'.repeat(20)}`],
    ['a long key', `scrypt$16384$8$1$${SALT}$${'A'.repeat(86)}`],
    ['a leading zero', `scrypt$016384$8$1$${SALT}$${KEY}`],
  ])('a malformed hash (%s) is false, not a throw', async (_, stored) => {
    await expect(verifyPassword('pw', stored)).resolves.toBe(false)
  })

  it.each([
    ['N = 2^20 (1 GiB)', `scrypt$1048576$8$1$${SALT}$${KEY}`],
    ['N = 2^21', `scrypt$2097152$8$1$${SALT}$${KEY}`],
    ['N = 2^30', `scrypt$1073741824$8$1$${SALT}$${KEY}`],
    ['r = 32 at N = 2^20', `scrypt$1048576$32$1$${SALT}$${KEY}`],
    ['p = 16 (16× the CPU)', `scrypt$16384$8$16$${SALT}$${KEY}`],
    ['r = 1024', `scrypt$16384$1024$1$${SALT}$${KEY}`],
    ['p = 2^30', `scrypt$16384$8$1073741824$${SALT}$${KEY}`],
    ['N = 2^16 (64 MiB)', `scrypt$65536$8$1$${SALT}$${KEY}`],
  ])('hostile parameters (%s) are refused without running scrypt', async (_, stored) => {
    const started = performance.now()
    await expect(verifyPassword('pw', stored)).resolves.toBe(false)
    expect(calls.scrypt).toEqual([])
    // scrypt at these costs takes seconds (or fails): far below that, whatever else the machine is doing.
    expect(performance.now() - started).toBeLessThan(500)
  })

  it('accepts moderately stronger parameters than the default', async () => {
    const { scryptSync } = await import('node:crypto')
    const salt = Buffer.alloc(16, 7)
    const key = scryptSync('pw', salt, 32, { N: 32_768, r: 8, p: 2, maxmem: 64 * 1024 * 1024 })
    const stored = `scrypt$32768$8$2$${salt.toString('base64url')}$${key.toString('base64url')}`
    expect(await verifyPassword('pw', stored)).toBe(true)
    expect(await verifyPassword('nope', stored)).toBe(false)
  })
})
