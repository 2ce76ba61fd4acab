import { describe, expect, it } from 'vitest'
import { isBatonError } from '../../index.js'
import type { BatonOptions } from '../options.js'
import { resolveBatonOptions } from '../resolve-options.js'
import { assertSameOrigin, readJsonBody } from './request-guard.js'

function options(overrides: Partial<BatonOptions> = {}) {
  return resolveBatonOptions({ authenticate: async () => null, ...overrides } as BatonOptions)
}

function code(fn: () => unknown): string {
  try {
    fn()
    return 'ok'
  } catch (error) {
    return isBatonError(error) ? error.code : `unexpected: ${String(error)}`
  }
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise
    return 'ok'
  } catch (error) {
    return isBatonError(error) ? error.code : `unexpected: ${String(error)}`
  }
}

function post(headers: Record<string, string>, body?: BodyInit, url = 'http://app.test/api/auth/login'): Request {
  return new Request(url, { method: 'POST', headers, body, duplex: 'half' } as RequestInit)
}

describe('assertSameOrigin', () => {
  const o = options({ allowedOrigins: ['https://partner.test'] })
  it.each([
    [{ origin: 'http://app.test' }, 'ok'],
    [{ origin: 'https://app.test' }, 'ok'],
    [{ origin: 'HTTP://APP.TEST' }, 'ok'],
    [{ origin: 'https://partner.test' }, 'ok'],
    [{ 'sec-fetch-site': 'same-origin' }, 'ok'],
    [{ origin: 'http://app.test', 'sec-fetch-site': 'same-origin' }, 'ok'],
    [{ origin: 'https://evil.test' }, 'ERR_CSRF'],
    [{ origin: 'null' }, 'ERR_CSRF'],
    [{ origin: '' }, 'ERR_CSRF'],
    [{ origin: 'app.test' }, 'ERR_CSRF'],
    [{ origin: 'http://app.test:81' }, 'ERR_CSRF'],
    [{ origin: 'http://app.test.' }, 'ERR_CSRF'],
    [{ origin: 'http://evil.test#app.test' }, 'ERR_CSRF'],
    [{ origin: 'http://partner.test' }, 'ERR_CSRF'],
    [{ origin: 'https://partner.test.evil' }, 'ERR_CSRF'],
    [{ origin: 'file://' }, 'ERR_CSRF'],
    [{ origin: 'data:,app.test' }, 'ERR_CSRF'],
    [{ 'sec-fetch-site': 'cross-site' }, 'ERR_CSRF'],
    [{ 'sec-fetch-site': 'same-site' }, 'ERR_CSRF'],
    [{ 'sec-fetch-site': 'Same-Origin' }, 'ERR_CSRF'],
    [{ 'sec-fetch-site': '' }, 'ERR_CSRF'],
    // Browsers send Origin on every POST: neither header, or only `none`, is refused.
    [{}, 'ERR_CSRF'],
    [{ 'sec-fetch-site': 'none' }, 'ERR_CSRF'],
  ])('%j → %s', (headers, expected) => {
    expect(code(() => assertSameOrigin(post(headers), o))).toBe(expected)
  })

  it('compares with the Host header, falling back to the URL', () => {
    const request = post(
      { origin: 'https://public.example', host: 'public.example' },
      undefined,
      'http://10.0.0.5:3000/x',
    )
    expect(code(() => assertSameOrigin(request, o))).toBe('ok')
    const internal = post({ origin: 'https://public.example' }, undefined, 'http://10.0.0.5:3000/x')
    expect(code(() => assertSameOrigin(internal, o))).toBe('ERR_CSRF')
  })

  it('accepts the configured publicOrigin behind a proxy that rewrites Host', () => {
    const request = post({ origin: 'https://app.example.com', host: '127.0.0.1:3000' })
    expect(code(() => assertSameOrigin(request, o))).toBe('ERR_CSRF')
    const configured = options({ publicOrigin: 'https://app.example.com' })
    expect(code(() => assertSameOrigin(request, configured))).toBe('ok')
    const other = post({ origin: 'https://evil.example', host: '127.0.0.1:3000' })
    expect(code(() => assertSameOrigin(other, configured))).toBe('ERR_CSRF')
  })

  it('believes X-Forwarded-Host only with trustProxy', () => {
    const headers = { origin: 'https://app.example.com', host: '127.0.0.1:3000', 'x-forwarded-host': 'app.example.com' }
    expect(code(() => assertSameOrigin(post(headers), o))).toBe('ERR_CSRF')
    expect(code(() => assertSameOrigin(post(headers), options({ trustProxy: 1 })))).toBe('ok')
    const garbage = { ...headers, 'x-forwarded-host': 'app.example.com/evil' }
    expect(code(() => assertSameOrigin(post(garbage), options({ trustProxy: 1 })))).toBe('ERR_CSRF')
  })
})

describe('readJsonBody', () => {
  const o = options()

  it('returns the parsed object without polluting prototypes', async () => {
    const body = await readJsonBody(
      post({ 'content-type': 'application/json' }, '{"__proto__":{"polluted":true},"a":"b"}'),
      o,
    )
    expect(body.a).toBe('b')
    expect(Object.hasOwn(body, '__proto__')).toBe(true)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('decodes UTF-8 (a BOM is tolerated) and refuses invalid bytes', async () => {
    const ok = await readJsonBody(post({ 'content-type': 'application/json' }, '\ufeff{"a":"é🦄"}'), o)
    expect(ok).toEqual({ a: 'é🦄' })
    expect(
      await codeOf(readJsonBody(post({ 'content-type': 'application/json' }, new Uint8Array([0x7b, 0xff, 0x7d])), o)),
    ).toBe('ERR_BAD_REQUEST')
  })

  it('optional: no content type and no body is an empty object, without reading', async () => {
    expect(await readJsonBody(post({}), o, { optional: true })).toEqual({})
    expect(await readJsonBody(post({ 'content-length': '0' }), o, { optional: true })).toEqual({})
    expect(await readJsonBody(post({ 'content-type': 'application/json' }, ''), o, { optional: true })).toEqual({})
    expect(await codeOf(readJsonBody(post({ 'content-length': '5' }, 'hello'), o, { optional: true }))).toBe(
      'ERR_UNSUPPORTED_MEDIA_TYPE',
    )
    expect(await codeOf(readJsonBody(post({}), o))).toBe('ERR_UNSUPPORTED_MEDIA_TYPE')
  })

  it('optional: a chunked body without a content type is refused (415) without reading, not taken for no body', async () => {
    let pulled = 0
    const stream = new ReadableStream<Uint8Array>({
      pull(c) {
        pulled += 1
        c.enqueue(new Uint8Array(1024))
      },
    })
    const chunked = post({ 'transfer-encoding': 'chunked' }, stream)
    expect(await codeOf(readJsonBody(chunked, o, { optional: true }))).toBe('ERR_UNSUPPORTED_MEDIA_TYPE')
    expect(pulled).toBeLessThanOrEqual(1)
  })

  it('checks the content type before the length, and the length before reading', async () => {
    let pulled = 0
    const stream = new ReadableStream<Uint8Array>(
      {
        pull(c) {
          pulled += 1
          c.enqueue(new Uint8Array(1024))
        },
      },
      { highWaterMark: 0 },
    )
    expect(
      await codeOf(readJsonBody(post({ 'content-type': 'application/json', 'content-length': '99999' }, stream), o)),
    ).toBe('ERR_PAYLOAD_TOO_LARGE')
    expect(pulled).toBe(0)
    expect(await codeOf(readJsonBody(post({ 'content-type': 'text/plain', 'content-length': '99999' }, '{}'), o))).toBe(
      'ERR_UNSUPPORTED_MEDIA_TYPE',
    )
  })

  it.each([
    ['application/json', 'ok'],
    ['application/json;charset=utf-8', 'ok'],
    ['application/json ; charset = "utf-8"', 'ok'],
    ['  application/json  ', 'ok'],
    ['APPLICATION/JSON; CHARSET=UTF-8', 'ok'],
    ['application/json; charset=utf-16', 'ERR_UNSUPPORTED_MEDIA_TYPE'],
    ['application/json; boundary=x', 'ERR_UNSUPPORTED_MEDIA_TYPE'],
    ['application/json; charset=utf-8; x=y', 'ERR_UNSUPPORTED_MEDIA_TYPE'],
    ['application/jsonp', 'ERR_UNSUPPORTED_MEDIA_TYPE'],
    ['application/ld+json', 'ERR_UNSUPPORTED_MEDIA_TYPE'],
    ['text/plain; application/json', 'ERR_UNSUPPORTED_MEDIA_TYPE'],
  ])('content type %j → %s', async (type, expected) => {
    expect(await codeOf(readJsonBody(post({ 'content-type': type }, '{"a":"b"}'), o))).toBe(expected)
  })
})
