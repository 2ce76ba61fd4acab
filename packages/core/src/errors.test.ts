import { describe, expect, it } from 'vitest'
import * as errors from './errors.js'
import {
  AccessTokenExpiredError,
  BatonError,
  type BatonErrorCode,
  ConfigError,
  isBatonError,
  RateLimitedError,
  RefreshTokenReusedError,
  STATUS_BY_CODE,
  StoreUnavailableError,
  UpstreamSessionEndedError,
} from './errors.js'

type CodedClass = (new () => BatonError) & { readonly code: BatonErrorCode }

/** Every exported subclass of BatonError that carries a static code. */
const codedClasses = Object.entries(errors).flatMap(([name, value]) =>
  typeof value === 'function' && value.prototype instanceof BatonError && 'code' in value
    ? [[name, value as unknown as CodedClass] as const]
    : [],
)

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
    expect(new AccessTokenExpiredError()).not.toHaveProperty('cause')
  })

  it('maps every code to a 4xx or 5xx status, client errors to 4xx', () => {
    const serverSide = [
      'ERR_CONFIG',
      'ERR_STORE_UNAVAILABLE',
      'ERR_UPSTREAM_UNAVAILABLE',
      'ERR_REFRESH_ROUTE_UNAVAILABLE',
      'ERR_NETWORK',
      'ERR_INTERNAL',
    ]
    for (const [code, status] of Object.entries(STATUS_BY_CODE)) {
      expect(status, code).toBeGreaterThanOrEqual(400)
      if (!serverSide.includes(code)) expect(status, code).toBeLessThan(500)
    }
  })

  it('pins the status of every code (STATUS_BY_CODE is derived from BatonError’s table)', () => {
    const byStatus: Record<number, string[]> = {}
    for (const [code, status] of Object.entries(STATUS_BY_CODE)) byStatus[status] = [...(byStatus[status] ?? []), code]
    for (const codes of Object.values(byStatus)) codes.sort()
    expect(byStatus).toEqual({
      400: ['ERR_BAD_REQUEST', 'ERR_OIDC_SIGN_IN', 'ERR_TRANSPORT_REFUSED'],
      401: [
        'ERR_ACCESS_TOKEN_EXPIRED',
        'ERR_ACCESS_TOKEN_INVALID',
        'ERR_INVALID_CREDENTIALS',
        'ERR_REFRESH_DENIED',
        'ERR_REFRESH_TOKEN_INVALID',
        'ERR_REFRESH_TOKEN_MISSING',
        'ERR_REFRESH_TOKEN_REUSED',
        'ERR_SESSION_EXPIRED',
        'ERR_SESSION_REVOKED',
        'ERR_UNAUTHENTICATED',
        'ERR_UPSTREAM_SESSION_ENDED',
      ],
      403: ['ERR_CSRF', 'ERR_FORBIDDEN'],
      404: ['ERR_NOT_FOUND'],
      405: ['ERR_METHOD_NOT_ALLOWED'],
      413: ['ERR_PAYLOAD_TOO_LARGE'],
      415: ['ERR_UNSUPPORTED_MEDIA_TYPE'],
      429: ['ERR_RATE_LIMITED'],
      500: ['ERR_CONFIG'],
      503: [
        'ERR_INTERNAL',
        'ERR_NETWORK',
        'ERR_REFRESH_ROUTE_UNAVAILABLE',
        'ERR_STORE_UNAVAILABLE',
        'ERR_UPSTREAM_UNAVAILABLE',
      ],
    })
    expect(Object.isFrozen(STATUS_BY_CODE)).toBe(true)
  })

  it('gives a BatonError built from a bare code the status it is given, else 401 (each class carries its own)', () => {
    for (const [code, status] of Object.entries(STATUS_BY_CODE)) {
      expect(new BatonError(code as BatonErrorCode, 'x', { status }).status, code).toBe(status)
      expect(new BatonError(code as BatonErrorCode, 'x').status, code).toBe(401)
    }
    expect(new BatonError('ERR_UPSTREAM_UNAVAILABLE', 'x', { status: 502 }).status).toBe(502)
  })

  it('lets subclasses be told apart by code', () => {
    expect(isBatonError(new RefreshTokenReusedError(), 'ERR_REFRESH_TOKEN_REUSED')).toBe(true)
    expect(isBatonError(new RefreshTokenReusedError(), 'ERR_SESSION_REVOKED')).toBe(false)
    expect(isBatonError(new UpstreamSessionEndedError(), 'ERR_SESSION_REVOKED')).toBe(false)
    expect(isBatonError(new Error('x'))).toBe(false)
    expect(new ConfigError('bad').status).toBe(500)
    expect(new StoreUnavailableError().status).toBe(503)
  })

  it('rounds Retry-After up to whole seconds, at least 1', () => {
    expect(new RateLimitedError(0.2).retryAfter).toBe(1)
    expect(new RateLimitedError(59.01).retryAfter).toBe(60)
  })
})

describe('one class per code', () => {
  it('has exactly one class for every code, and no class for a code that does not exist', () => {
    const codes = Object.keys(STATUS_BY_CODE).sort()
    expect(codedClasses.map(([, Class]) => Class.code).sort()).toEqual(codes)
  })

  it.each(codedClasses)(
    '%s carries its static code, the status of STATUS_BY_CODE, its name and a message',
    (name, Class) => {
      const error = Class === (RateLimitedError as unknown) ? new RateLimitedError(1) : new Class()
      expect(error).toBeInstanceOf(BatonError)
      expect(error).toBeInstanceOf(Error)
      expect(error.code).toBe(Class.code)
      expect(error.status).toBe(STATUS_BY_CODE[Class.code])
      expect(error.name).toBe(name)
      expect(error.message).toMatch(/\S/)
      expect(isBatonError(error, Class.code)).toBe(true)
      const cause = new Error('inner')
      const custom =
        Class === (RateLimitedError as unknown)
          ? new RateLimitedError(1, 'm', { cause, status: 599 })
          : new (Class as unknown as new (message: string, options: errors.BatonErrorOptions) => BatonError)('m', {
              cause,
              status: 599,
            })
      expect(custom).toMatchObject({ code: Class.code, message: 'm', status: 599, cause })
    },
  )

  it('names each class after its code (ERR_SESSION_REVOKED → SessionRevokedError)', () => {
    for (const [name, Class] of codedClasses) {
      const words = Class.code.slice('ERR_'.length).toLowerCase().split('_')
      expect(name).toBe(`${words.map((w) => w[0]?.toUpperCase() + w.slice(1)).join('')}Error`)
    }
  })
})
