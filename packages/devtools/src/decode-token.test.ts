import { expect, it } from 'vitest'
import { decodeToken } from './decode-token.js'
import { makeToken } from './devtools.fixture.js'

it('decodes header alg/kid and UTF-8 claims of a base64url JWT', () => {
  const token = makeToken({ sub: 'user-1', name: 'Zoë 🚀', n: 1 }, { kid: 'k/1+2' })
  expect(decodeToken(token)).toEqual({ alg: 'EdDSA', kid: 'k/1+2', claims: { sub: 'user-1', name: 'Zoë 🚀', n: 1 } })
})

it('null for no token, an opaque token, or a payload that is not a JSON object', () => {
  expect(decodeToken(null)).toBeNull()
  expect(decodeToken('opaque-token-without-dots')).toBeNull()
  expect(decodeToken('a.b.c')).toBeNull()
  const arrayPayload = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('[1]').toString('base64url')}.`
  expect(decodeToken(arrayPayload)).toBeNull()
})
