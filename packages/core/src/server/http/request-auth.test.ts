import { describe, expect, it, vi } from 'vitest'
import { isBatonError } from '../../index.js'
import type { BatonContext } from '../context.js'
import { requestToken, verifyRequest } from './request-auth.js'

const ctx = { names: { access: '__Host-baton.at', refresh: '__Host-baton.rt' } } as BatonContext

function token(headers: Record<string, string>) {
  try {
    return requestToken(ctx, { headers: new Headers(headers) })
  } catch (error) {
    return isBatonError(error) ? error.code : `unexpected: ${String(error)}`
  }
}

describe('requestToken', () => {
  it.each([
    [{ authorization: 'Bearer abc.def.ghi' }, { token: 'abc.def.ghi', source: 'bearer' }],
    [{ authorization: 'bearer abc' }, { token: 'abc', source: 'bearer' }],
    [{ authorization: 'BEARER   abc  ' }, { token: 'abc', source: 'bearer' }],
    [{ authorization: 'Bearer a+b/c=' }, { token: 'a+b/c=', source: 'bearer' }],
    [{ cookie: '__Host-baton.at=abc' }, { token: 'abc', source: 'cookie' }],
    [{ cookie: 'x=1; __Host-baton.at=abc; __Host-baton.at=def' }, { token: 'abc', source: 'cookie' }],
    [{ cookie: 'baton.at=abc' }, null],
    [{ cookie: '__Host-baton.at=a b' }, null],
    [{}, null],
  ])('%j → %j', (headers, expected) => {
    expect(token(headers)).toEqual(expected)
  })

  it.each([
    ['Bearer'],
    ['bearer'],
    ['Bearer '],
    ['Bearer a b'],
    ['Bearer a,b'],
    ['Bearer "abc"'],
    ['Bearer\tabc'],
    ['Bearer =abc'],
  ])('a malformed Bearer header %j is refused, not ignored in favour of the cookie', (authorization) => {
    expect(token({ authorization, cookie: '__Host-baton.at=valid' })).toBe('ERR_ACCESS_TOKEN_INVALID')
    expect(token({ authorization })).toBe('ERR_ACCESS_TOKEN_INVALID')
  })

  it.each([['Basic YTpi'], ['Token abc'], ['Bearerabc'], ['Digest username="a"'], ['']])(
    'another scheme or value %j is not Baton’s: the access cookie is used instead',
    (authorization) => {
      expect(token({ authorization, cookie: '__Host-baton.at=valid' })).toEqual({ token: 'valid', source: 'cookie' })
      expect(token({ authorization })).toBeNull()
    },
  )
})

describe('verifyRequest', () => {
  function verifying(verifyAccessToken: (token: string, options: { strict: boolean }) => Promise<unknown>) {
    const verify = vi.fn(verifyAccessToken)
    return { ctx: { ...ctx, engine: { verifyAccessToken: verify } } as unknown as BatonContext, verify }
  }
  const verified = { user: null, subject: 'u1', sessionId: 's1', expiresAt: 1, issuedAt: 0 }
  const headers = (h: Record<string, string>) => ({ headers: new Headers(h) })

  it.each([['Basic YTpi'], ['Token abc'], ['Bearerabc'], ['']])(
    'with %j beside the access cookie, verifies the cookie',
    async (authorization) => {
      const { ctx: c, verify } = verifying(async () => verified)
      const auth = await verifyRequest(c, headers({ authorization, cookie: '__Host-baton.at=from-cookie' }))
      expect(auth).toEqual({ ...verified, token: 'from-cookie', source: 'cookie' })
      expect(verify).toHaveBeenCalledExactlyOnceWith('from-cookie', { strict: false })
    },
  )

  it.each([['Basic YTpi'], ['Token abc'], ['Bearerabc'], ['']])(
    'with %j and no access cookie, throws ERR_UNAUTHENTICATED without verifying',
    async (authorization) => {
      const { ctx: c, verify } = verifying(async () => verified)
      await expect(verifyRequest(c, headers({ authorization }))).rejects.toMatchObject({ code: 'ERR_UNAUTHENTICATED' })
      expect(verify).not.toHaveBeenCalled()
    },
  )

  it('a Bearer header wins over the cookie; a malformed one throws ERR_ACCESS_TOKEN_INVALID without verifying', async () => {
    const { ctx: c, verify } = verifying(async () => verified)
    const cookie = '__Host-baton.at=from-cookie'
    expect(await verifyRequest(c, headers({ authorization: 'Bearer from-header', cookie }), { strict: true })).toEqual({
      ...verified,
      token: 'from-header',
      source: 'bearer',
    })
    expect(verify).toHaveBeenCalledExactlyOnceWith('from-header', { strict: true })
    verify.mockClear()
    for (const authorization of ['Bearer', 'Bearer a b']) {
      await expect(verifyRequest(c, headers({ authorization, cookie }))).rejects.toMatchObject({
        code: 'ERR_ACCESS_TOKEN_INVALID',
      })
    }
    expect(verify).not.toHaveBeenCalled()
  })
})
