import type { ResolvedBatonOptions } from '../options.js'

const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/

/**
 * The client IP, or null when it cannot be known. `X-Forwarded-For` is read
 * only when `trustProxy` says how many proxies append to it, and then the
 * address that many entries from the right is used (the leftmost entries are
 * whatever the client sent).
 */
export function clientIp(request: Request, options: ResolvedBatonOptions): string | null {
  if (options.clientIp) return normalizeIp(options.clientIp(request))
  if (options.trustProxy === 0) return null
  const chain = (request.headers.get('x-forwarded-for') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
  return normalizeIp(chain[chain.length - options.trustProxy] ?? null)
}

/** A canonical address: IPv4-mapped IPv6 becomes IPv4, IPv6 is lower-cased and expanded; junk is null. */
export function normalizeIp(value: string | null | undefined): string | null {
  if (!value || value.length > 64) return null
  let ip = value.trim()
  if (ip.startsWith('[') && ip.includes(']')) ip = ip.slice(1, ip.indexOf(']'))
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip)
  if (mapped) ip = mapped[1] as string
  if (IPV4.test(ip)) return ip
  const hextets = expandIpv6(ip)
  return hextets ? hextets.join(':') : null
}

function expandIpv6(ip: string): string[] | null {
  const value = ip.split('%')[0]?.toLowerCase() ?? ''
  if (!/^[0-9a-f:]+$/.test(value) || value.split('::').length > 2) return null
  const [head = '', tail] = value.split('::')
  const left = head ? head.split(':') : []
  const right = tail ? tail.split(':') : []
  const missing = 8 - left.length - right.length
  if (tail === undefined ? missing !== 0 : missing < 1) return null
  const all = [...left, ...Array(tail === undefined ? 0 : missing).fill('0'), ...right]
  if (all.some((h) => h.length === 0 || h.length > 4)) return null
  return all.map((h) => h.replace(/^0+(?=.)/, ''))
}

/** The rate-limit identity of an address: IPv4 as is, IPv6 by its /64 (one subscriber's whole prefix). */
export function ipBucket(ip: string): string {
  if (IPV4.test(ip)) return ip
  return `${ip.split(':').slice(0, 4).join(':')}::/64`
}
