import { afterEach, describe, expect, it, vi } from 'vitest'
import {
  AccessTokenExpiredError,
  AccessTokenInvalidError,
  BatonError,
  ConfigError,
  RateLimitedError,
  StoreUnavailableError,
} from '../../index.js'
import { STATUS_BY_CODE } from '../../internal.js'
import { resolveCookieSettings } from '../cookies/cookie-settings.js'
import { cookieToClear, cookieToSet, toSetCookie } from '../cookies/set-cookie.js'
import { empty, errorResponse, json } from './responses.js'

afterEach(() => {
  vi.restoreAllMocks()
})

const SECURITY_HEADERS = {
  'cache-control': 'no-store',
  pragma: 'no-cache',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
}

describe('json', () => {
  it('sets JSON and security headers, appends every cookie', async () => {
    const settings = resolveCookieSettings({ secure: false })
    const cookies = [cookieToSet('a', '1', 2000, 0, settings), cookieToSet('b', '2', 2000, 0, settings)]
    const response = json({ a: 1 }, { status: 201, cookies, headers: { 'x-y': 'z' } })
    expect(response.status).toBe(201)
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8')
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) expect(response.headers.get(k)).toBe(v)
    expect(response.headers.get('x-y')).toBe('z')
    expect(response.headers.getSetCookie()).toEqual(cookies.map(toSetCookie))
    expect(response.headers.getSetCookie()[0]).toMatch(/^a=1; Max-Age=2; /)
    expect(await response.json()).toEqual({ a: 1 })
  })

  it('lets a route override cache-control (JWKS)', () => {
    expect(json({}, { headers: { 'cache-control': 'public, max-age=300' } }).headers.get('cache-control')).toBe(
      'public, max-age=300',
    )
  })
})

describe('empty', () => {
  it('has no body and the security headers', async () => {
    const response = empty(204, [cookieToClear('a', resolveCookieSettings({ secure: false }))])
    expect(response.status).toBe(204)
    expect(await response.text()).toBe('')
    expect(response.headers.get('cache-control')).toBe('no-store')
    expect(response.headers.getSetCookie()).toEqual([
      'a=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/; HttpOnly; SameSite=Lax',
    ])
  })
})

describe('errorResponse', () => {
  it.each(Object.entries(STATUS_BY_CODE).filter(([code]) => code !== 'ERR_CONFIG'))(
    '%s → %i with the uniform shape',
    async (code, status) => {
      const response = errorResponse(new BatonError(code as never, `message for ${code}`, { status }))
      expect(response.status).toBe(status)
      expect(await response.json()).toEqual({ error: { code, message: `message for ${code}` } })
      for (const [k, v] of Object.entries(SECURITY_HEADERS)) expect(response.headers.get(k)).toBe(v)
    },
  )

  it('only ERR_CONFIG maps to 500', () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined)
    const fiveHundreds = Object.entries(STATUS_BY_CODE).filter(([, status]) => status === 500)
    expect(fiveHundreds.map(([code]) => code)).toEqual(['ERR_CONFIG'])
    expect(errorResponse(new ConfigError('bad')).status).toBe(500)
  })

  it.each([
    ['a ConfigError', new ConfigError('`authenticate` must return { id } (secret detail)')],
    ['a plain BatonError', new BatonError('ERR_CONFIG', '`authenticate` must return { id } (secret detail)')],
  ])('ERR_CONFIG (%s) → 500 with a generic message; the detail goes to console.error', async (_, error) => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    const response = errorResponse(error, { headers: { 'x-y': 'z' } })
    expect(response.status).toBe(500)
    const text = await response.text()
    expect(JSON.parse(text)).toEqual({
      error: { code: 'ERR_CONFIG', message: 'The server is misconfigured; see its log.' },
    })
    expect(text).not.toMatch(/secret detail|authenticate/)
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8')
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) expect(response.headers.get(k)).toBe(v)
    expect(response.headers.get('x-y')).toBe('z')
    expect(response.headers.get('www-authenticate')).toBeNull()
    expect(log).toHaveBeenCalledTimes(1)
    expect(log.mock.calls[0]).toContain(error)
    expect(String(log.mock.calls[0]?.find((arg) => arg instanceof Error))).toMatch(/secret detail/)
  })

  it('adds Retry-After to 429 (whole seconds, at least 1)', () => {
    expect(errorResponse(new RateLimitedError(0.2)).headers.get('retry-after')).toBe('1')
    expect(errorResponse(new RateLimitedError(59.01)).headers.get('retry-after')).toBe('60')
    expect(errorResponse(new BatonError('ERR_RATE_LIMITED', 'x')).headers.get('retry-after')).toBeNull()
  })

  it('adds Bearer challenges to 401s about access tokens', () => {
    expect(errorResponse(new BatonError('ERR_UNAUTHENTICATED', 'x')).headers.get('www-authenticate')).toBe(
      'Bearer realm="baton"',
    )
    expect(errorResponse(new AccessTokenInvalidError()).headers.get('www-authenticate')).toBe(
      'Bearer error="invalid_token", error_description="The access token is invalid"',
    )
    expect(errorResponse(new AccessTokenExpiredError()).headers.get('www-authenticate')).toBe(
      'Bearer error="invalid_token", error_description="The access token expired"',
    )
    expect(errorResponse(new BatonError('ERR_REFRESH_TOKEN_INVALID', 'x')).headers.get('www-authenticate')).toBeNull()
  })

  it.each([
    ['an Error', new Error('SQLITE_CORRUPT at /var/db/secret.db')],
    ['a string', 'password=hunter2'],
    ['undefined', undefined],
    ['null', null],
    ['an object', { code: 'ERR_FORBIDDEN', status: 200, message: 'forged' }],
  ])('anything else (%s) → 503 with a generic message, logged', async (_, thrown) => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    const response = errorResponse(thrown)
    expect(response.status).toBe(503)
    const text = await response.text()
    expect(JSON.parse(text)).toEqual({
      error: { code: 'ERR_INTERNAL', message: 'The service is temporarily unavailable. Try again.' },
    })
    expect(text).not.toMatch(/secret|hunter2|forged/)
    expect(log).toHaveBeenCalledTimes(1)
  })

  it('a BatonError is not logged, and its cause never reaches the body', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    const response = errorResponse(new StoreUnavailableError(undefined, { cause: new Error('pg: password=hunter2') }))
    expect(await response.text()).not.toContain('hunter2')
    expect(log).not.toHaveBeenCalled()
  })

  it('carries cookies and extra headers', () => {
    const response = errorResponse(new BatonError('ERR_METHOD_NOT_ALLOWED', 'Use GET.'), {
      headers: { allow: 'GET' },
      cookies: [cookieToClear('x', resolveCookieSettings({ secure: false }))],
    })
    expect(response.headers.get('allow')).toBe('GET')
    expect(response.headers.getSetCookie()).toEqual([
      'x=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/; HttpOnly; SameSite=Lax',
    ])
  })
})
