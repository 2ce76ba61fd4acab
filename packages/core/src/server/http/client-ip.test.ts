import { describe, expect, it } from 'vitest'
import type { BatonOptions } from '../options.js'
import { resolveBatonOptions } from '../resolve-options.js'
import { clientIp, ipBucket, normalizeIp } from './client-ip.js'

function options(overrides: Partial<BatonOptions> = {}) {
  return resolveBatonOptions({ authenticate: async () => null, ...overrides } as BatonOptions)
}

function req(headers: Record<string, string> = {}): Request {
  return new Request('http://app.test/api/auth/login', { headers })
}

describe('normalizeIp', () => {
  it.each([
    ['192.0.2.1', '192.0.2.1'],
    ['  192.0.2.1  ', '192.0.2.1'],
    ['0.0.0.0', '0.0.0.0'],
    ['255.255.255.255', '255.255.255.255'],
    ['::ffff:192.0.2.1', '192.0.2.1'],
    ['::FFFF:192.0.2.1', '192.0.2.1'],
    ['[::ffff:192.0.2.1]', '192.0.2.1'],
    ['[2001:db8::1]:443', '2001:db8:0:0:0:0:0:1'],
    ['2001:DB8::1', '2001:db8:0:0:0:0:0:1'],
    ['2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8:0:0:0:0:0:1'],
    ['2001:db8:0:0:0:0:0:1', '2001:db8:0:0:0:0:0:1'],
    ['::', '0:0:0:0:0:0:0:0'],
    ['::1', '0:0:0:0:0:0:0:1'],
    ['1::', '1:0:0:0:0:0:0:0'],
    ['1:2:3:4:5:6:7::', '1:2:3:4:5:6:7:0'],
    ['::2:3:4:5:6:7:8', '0:2:3:4:5:6:7:8'],
    ['fe80::1%eth0', 'fe80:0:0:0:0:0:0:1'],
    ['1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8'],
  ])('%j → %j', (input, expected) => {
    expect(normalizeIp(input)).toBe(expected)
  })

  it.each([
    [null],
    [undefined],
    [''],
    ['   '],
    ['a'.repeat(65)],
    [`${'1'.repeat(60)}.1.1.1`],
    ['256.1.1.1'],
    ['1.2.3'],
    ['1.2.3.4.5'],
    ['1.2.3.4:80'],
    ['1.2.3.4/24'],
    ['-1.2.3.4'],
    ['localhost'],
    ['unknown'],
    ['::1::2'],
    [':::'],
    ['1:2:3:4:5:6:7:8:9'],
    ['1:2:3:4:5:6:7'],
    ['1:2:3:4:5:6:7::8'],
    ['12345::'],
    ['g::1'],
    ['::ffff:999.1.1.1'],
    ['1.2.3.4\u0000'],
    ["' OR 1=1 --"],
    ['[::1'],
  ])('%j → null', (input) => {
    expect(normalizeIp(input)).toBeNull()
  })

  it('is idempotent', () => {
    for (const ip of ['192.0.2.1', '::ffff:10.0.0.1', '2001:DB8::1', '::', 'fe80::1%lo']) {
      const once = normalizeIp(ip) as string
      expect(normalizeIp(once)).toBe(once)
    }
  })
})

describe('ipBucket', () => {
  it('keeps IPv4 as is', () => {
    expect(ipBucket('192.0.2.1')).toBe('192.0.2.1')
  })

  it('groups IPv6 by /64', () => {
    const bucket = (ip: string) => ipBucket(normalizeIp(ip) as string)
    expect(bucket('2001:db8:1:2::1')).toBe('2001:db8:1:2::/64')
    expect(bucket('2001:db8:1:2:ffff:ffff:ffff:ffff')).toBe(bucket('2001:0DB8:0001:0002::'))
    expect(bucket('2001:db8:1:3::1')).not.toBe(bucket('2001:db8:1:2::1'))
    expect(bucket('2001:db8::1')).toBe('2001:db8:0:0::/64')
    expect(bucket('2001:db8:0:0:1::')).toBe(bucket('2001:db8::'))
    expect(bucket('::ffff:192.0.2.1')).toBe('192.0.2.1')
  })
})

describe('clientIp', () => {
  it('ignores X-Forwarded-For by default (trustProxy 0)', () => {
    expect(clientIp(req({ 'x-forwarded-for': '192.0.2.1' }), options())).toBeNull()
    expect(clientIp(req({ 'x-real-ip': '192.0.2.1', forwarded: 'for=192.0.2.1' }), options())).toBeNull()
  })

  it('with trustProxy n takes the nth address from the right', () => {
    const xff = { 'x-forwarded-for': '6.6.6.6, 192.0.2.1 ,198.51.100.2' }
    expect(clientIp(req(xff), options({ trustProxy: 1 }))).toBe('198.51.100.2')
    expect(clientIp(req(xff), options({ trustProxy: 2 }))).toBe('192.0.2.1')
    expect(clientIp(req(xff), options({ trustProxy: 3 }))).toBe('6.6.6.6')
    // More proxies configured than entries: unknown, never the client-controlled leftmost guess.
    expect(clientIp(req(xff), options({ trustProxy: 4 }))).toBeNull()
  })

  it('reads repeated X-Forwarded-For headers as one list', () => {
    const headers = new Headers()
    headers.append('x-forwarded-for', '6.6.6.6')
    headers.append('x-forwarded-for', '198.51.100.3')
    expect(clientIp(new Request('http://app.test/', { headers }), options({ trustProxy: 1 }))).toBe('198.51.100.3')
  })

  it('normalises and refuses junk entries', () => {
    const o = options({ trustProxy: 1 })
    expect(clientIp(req({ 'x-forwarded-for': '::FFFF:192.0.2.9' }), o)).toBe('192.0.2.9')
    expect(clientIp(req({ 'x-forwarded-for': '2001:DB8::9' }), o)).toBe('2001:db8:0:0:0:0:0:9')
    expect(clientIp(req({ 'x-forwarded-for': 'evil' }), o)).toBeNull()
    expect(clientIp(req({ 'x-forwarded-for': '' }), o)).toBeNull()
    expect(clientIp(req({ 'x-forwarded-for': ' , ,' }), o)).toBeNull()
    expect(clientIp(req(), o)).toBeNull()
  })

  it('a custom clientIp overrides trustProxy and is normalised', () => {
    const o = options({ trustProxy: 1, clientIp: (r) => r.headers.get('cf-connecting-ip') })
    expect(clientIp(req({ 'cf-connecting-ip': '::ffff:203.0.113.1', 'x-forwarded-for': '1.1.1.1' }), o)).toBe(
      '203.0.113.1',
    )
    expect(clientIp(req({ 'x-forwarded-for': '1.1.1.1' }), o)).toBeNull()
    expect(clientIp(req({ 'cf-connecting-ip': 'nonsense' }), o)).toBeNull()
  })
})
