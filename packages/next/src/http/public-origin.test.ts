import { ConfigError, isBatonError, MemorySessionStore } from '@baton/core'
import { isValidHost } from '@baton/core/internal'
import { publicOriginOf, resolvePublicOrigin } from '@baton/core/server/edge'
import { describe, expect, it } from 'vitest'
import { createBaton } from '../create-baton.js'
import { createEdgeProxy } from '../edge/index.js'
import { SECRET } from '../test-app.fixture.js'

const LISTENING = new URL('http://localhost:3430/dashboard')

function originOf(headers: Record<string, string>, publicOrigin: string | null = null, trustProxy = 0): string {
  try {
    return publicOriginOf(new Request(LISTENING, { headers }), LISTENING, { publicOrigin, trustProxy })
  } catch (error) {
    return isBatonError(error) ? error.code : `unexpected: ${String(error)}`
  }
}

describe('publicOrigin option', () => {
  it.each([
    ['https://app.example.com', 'https://app.example.com'],
    ['https://app.example.com/', 'https://app.example.com'],
    ['http://127.0.0.1:3000', 'http://127.0.0.1:3000'],
    ['', null],
  ])('accepts %j as %j', (value, expected) => {
    expect(resolvePublicOrigin(value)).toBe(expected)
  })

  it.each([
    'app.example.com',
    'https://app.example.com/base',
    'https://app.example.com?x=1',
    'https://user@app.example.com',
    'HTTPS://APP.EXAMPLE.COM',
    'ftp://app.example.com',
    'javascript:alert(1)',
  ])('refuses %j at startup, in createBaton and createEdgeProxy alike', (value) => {
    expect(() => resolvePublicOrigin(value)).toThrow(ConfigError)
    const store = new MemorySessionStore()
    expect(() => createBaton({ store, secret: SECRET, authenticate: async () => null, publicOrigin: value })).toThrow(
      ConfigError,
    )
    expect(() => createEdgeProxy({ secret: SECRET, publicOrigin: value })).toThrow(ConfigError)
  })

  it('the Edge proxy refuses a bad trustProxy like createBaton does', () => {
    expect(() => createEdgeProxy({ secret: SECRET, trustProxy: -1 })).toThrow(ConfigError)
    expect(() => createEdgeProxy({ secret: SECRET, trustProxy: Number.NaN })).toThrow(ConfigError)
  })
})

describe('isValidHost', () => {
  it.each([
    'app.example.com',
    'APP.example.com:443',
    'localhost:3000',
    '10.0.0.1',
    '[::1]:3000',
    'xn--bcher-kva.example',
  ])('accepts %j', (host) => {
    expect(isValidHost(host)).toBe(true)
  })

  it.each([
    '',
    'app.example.com/x',
    'user@app.example.com',
    'app.example.com:',
    'app.example.com:70000',
    'a b',
    '-bad.example',
    'app..example.com',
    '[::1',
    'http://app.example.com',
    `${'a'.repeat(64)}.example`,
  ])('refuses %j', (host) => {
    expect(isValidHost(host)).toBe(false)
  })
})

describe('publicOriginOf', () => {
  it('uses Host with the scheme the app was reached by, lower-cased and without a default port', () => {
    expect(originOf({ host: 'App.Example.com' })).toBe('http://app.example.com')
    expect(originOf({ host: 'app.example.com:80' })).toBe('http://app.example.com')
  })

  it('falls back to the URL only when there is no Host at all', () => {
    expect(originOf({})).toBe('http://localhost:3430')
  })

  it('reads the forwarded headers only with trustProxy, from the right', () => {
    const headers = { host: 'internal:3000', 'x-forwarded-host': 'a.example, b.example', 'x-forwarded-proto': 'https' }
    expect(originOf(headers)).toBe('http://internal:3000')
    expect(originOf(headers, null, 1)).toBe('https://b.example')
    expect(originOf(headers, null, 2)).toBe('https://a.example')
    expect(originOf(headers, null, 5)).toBe('https://a.example')
  })

  it('prefers the configured origin over everything', () => {
    expect(originOf({ host: 'evil.example' }, 'https://app.example.com', 1)).toBe('https://app.example.com')
  })

  it('answers ERR_BAD_REQUEST for a malformed host or scheme', () => {
    expect(originOf({ host: 'evil.example/path' })).toBe('ERR_BAD_REQUEST')
    expect(originOf({ host: 'a.test', 'x-forwarded-proto': 'file' }, null, 1)).toBe('ERR_BAD_REQUEST')
    expect(originOf({ host: 'a.test', 'x-forwarded-host': '' }, null, 1)).toBe('http://a.test')
  })
})
