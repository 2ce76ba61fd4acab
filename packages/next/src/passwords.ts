import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto'

const N = 16_384
const R = 8
const P = 1
const KEY_LENGTH = 32

function derive(password: string, salt: Buffer, n: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, { N: n, r, p, maxmem: 64 * 1024 * 1024 }, (error, key) =>
      error ? reject(error) : resolve(key),
    )
  })
}

/** Hashes a password with scrypt (N=16384, r=8, p=1) and a random salt: `scrypt$N$r$p$salt$hash`. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16)
  const key = await derive(password, salt, N, R, P)
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64url')}$${key.toString('base64url')}`
}

const DUMMY = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'

/** The most work one verification may cost: 4× the default's CPU, half of `maxmem` in memory. */
const MAX_WORK = 4 * N * R * P
const MAX_MEMORY = 32 * 1024 * 1024

/**
 * Parses `scrypt$N$r$p$salt$hash`; null when malformed or when the parameters
 * are outside what Baton would ever produce (N a power of two ≥ 2, r ≥ 1,
 * p ≥ 1, bounded work and memory), so a tampered row cannot make a sign-in
 * burn seconds of CPU or gigabytes of memory.
 */
function parseHash(stored: string): { n: number; r: number; p: number; salt: Buffer; key: Buffer } | null {
  const parts = stored.split('$')
  if (parts.length !== 6 || parts[0] !== 'scrypt') return null
  if (!parts.slice(1, 4).every((part) => /^[1-9]\d{0,8}$/.test(part))) return null
  const [n, r, p] = parts.slice(1, 4).map(Number) as [number, number, number]
  if (n < 2 || (n & (n - 1)) !== 0 || n * r * p > MAX_WORK || 128 * n * r > MAX_MEMORY) return null
  const salt = Buffer.from(parts[4] as string, 'base64url')
  const key = Buffer.from(parts[5] as string, 'base64url')
  if (salt.length < 8 || key.length !== KEY_LENGTH) return null
  return { n, r, p, salt, key }
}

/**
 * Checks a password against a stored hash in constant time. Pass `null` for
 * an unknown account: the same work is done, so timing does not reveal which
 * accounts exist. Malformed hashes, hostile parameters and a missing
 * (non-string) password return false; this never throws.
 */
export async function verifyPassword(password: string, stored: string | null): Promise<boolean> {
  const parsed = parseHash(typeof stored === 'string' ? stored : DUMMY)
  if (!parsed) return false
  const candidate = typeof password === 'string' ? password : ''
  let actual: Buffer
  try {
    actual = await derive(candidate, parsed.salt, parsed.n, parsed.r, parsed.p)
  } catch {
    return false
  }
  return typeof stored === 'string' && typeof password === 'string' && timingSafeEqual(parsed.key, actual)
}
