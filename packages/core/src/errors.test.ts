import { describe, expect, it } from 'vitest'
import {
  AccessTokenExpiredError,
  BatonError,
  ConfigError,
  isBatonError,
  RateLimitedError,
  RefreshTokenReusedError,
  STATUS_BY_CODE,
  StoreUnavailableError,
} from './errors.js'

describe('BatonError', () => {
  it('carries a stable code, a status and a JSON body, and keeps the cause out of it', () => {
    const cause = new Error('jose internals')
    const error = new AccessTokenExpiredError(undefined, { cause })
    expect(error).toBeInstanceOf(BatonError)
    expect(error).toMatchObject({
      code: 'ERR_ACCESS_TOKEN_EXPIRED',
      status: 401,
      name: 'AccessTokenExpiredError',
      cause,
    })
    expect(JSON.stringify(error)).toBe(
      '{"error":{"code":"ERR_ACCESS_TOKEN_EXPIRED","message":"The access token has expired."}}',
    )
  })

  it('maps every code to a 4xx or 5xx status, client errors to 4xx', () => {
    for (const [code, status] of Object.entries(STATUS_BY_CODE)) {
      expect(status, code).toBeGreaterThanOrEqual(400)
      if (!['ERR_CONFIG', 'ERR_STORE_UNAVAILABLE', 'ERR_UPSTREAM_UNAVAILABLE', 'ERR_NETWORK'].includes(code))
        expect(status, code).toBeLessThan(500)
    }
  })

  it('lets subclasses be told apart by code', () => {
    expect(isBatonError(new RefreshTokenReusedError(), 'ERR_REFRESH_TOKEN_REUSED')).toBe(true)
    expect(isBatonError(new RefreshTokenReusedError(), 'ERR_SESSION_REVOKED')).toBe(false)
    expect(isBatonError(new Error('x'))).toBe(false)
    expect(new ConfigError('bad').status).toBe(500)
    expect(new StoreUnavailableError().status).toBe(503)
    expect(new BatonError('ERR_UPSTREAM_UNAVAILABLE', 'x', { status: 502 }).status).toBe(502)
  })

  it('rounds Retry-After up to whole seconds, at least 1', () => {
    expect(new RateLimitedError(0.2).retryAfter).toBe(1)
    expect(new RateLimitedError(59.01).retryAfter).toBe(60)
  })
})
