import { describe, expect, it } from 'vitest'
import { readCookie, rewriteCookieHeader } from './read-cookie.js'

describe('readCookie', () => {
  it('reads one cookie by its exact name', () => {
    expect(readCookie('a=1; __Host-baton.rt=brt_abc; b=2', '__Host-baton.rt')).toBe('brt_abc')
    expect(readCookie('__Host-baton.rt=brt_abc', '__Host-baton.rt')).toBe('brt_abc')
    expect(readCookie('  __Host-baton.rt  =  brt_abc  ;', '__Host-baton.rt')).toBe('brt_abc')
    expect(readCookie('a=1;b=2;c=3', 'b')).toBe('2')
  })

  it.each([[null], [undefined], [''], [';'], [';;;'], ['='], ['name'], ['=value']])('%j → undefined', (header) => {
    expect(readCookie(header, 'name')).toBeUndefined()
  })

  it('the first of duplicates wins, even when it is invalid', () => {
    expect(readCookie('n=first; n=second', 'n')).toBe('first')
    expect(readCookie('n=bad value; n=good', 'n')).toBeUndefined()
    expect(readCookie('n=; n=good', 'n')).toBeUndefined()
  })

  it('never lets a shadow satisfy a __Host- name', () => {
    expect(readCookie('baton.rt=brt_abc', '__Host-baton.rt')).toBeUndefined()
    expect(readCookie('__host-baton.rt=brt_abc', '__Host-baton.rt')).toBeUndefined()
    expect(readCookie('__Secure-baton.rt=brt_abc', '__Host-baton.rt')).toBeUndefined()
    expect(readCookie('x__Host-baton.rt=brt_abc', '__Host-baton.rt')).toBeUndefined()
    expect(readCookie('__Host-baton.rtx=brt_abc', '__Host-baton.rt')).toBeUndefined()
    expect(readCookie('__Host-baton.rt=brt_abc', 'baton.rt')).toBeUndefined()
    // Shadow first, the real one after: the real one is found.
    expect(readCookie('baton.rt=evil; __Host-baton.rt=brt_good', '__Host-baton.rt')).toBe('brt_good')
  })

  it('is case-sensitive about names', () => {
    expect(readCookie('Baton.rt=x', 'baton.rt')).toBeUndefined()
  })

  it('unquotes a quoted value, and only a fully quoted one', () => {
    expect(readCookie('n="abc"', 'n')).toBe('abc')
    expect(readCookie('n=""', 'n')).toBeUndefined()
    expect(readCookie('n="abc', 'n')).toBeUndefined()
    expect(readCookie('n=abc"', 'n')).toBeUndefined()
    expect(readCookie('n="', 'n')).toBeUndefined()
    expect(readCookie('n=""abc""', 'n')).toBeUndefined()
  })

  it.each([
    ['a space', 'a b'],
    ['an equals sign', 'a=b'],
    ['a comma', 'a,b'],
    ['a backslash', 'a\\b'],
    ['percent-encoding', 'a%00b'],
    ['a plus', 'a+b'],
    ['a slash', 'a/b'],
    ['non-ASCII', 'é'],
    ['SQL', "'OR'1'='1"],
    ['a control character', 'a\u0001b'],
  ])('a value with %s reads as absent', (_, value) => {
    expect(readCookie(`n=${value}`, 'n')).toBeUndefined()
  })

  it('accepts the token alphabets up to 8 KiB', () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.abc-_~'
    expect(readCookie(`n=${jwt}`, 'n')).toBe(jwt)
    expect(readCookie(`n=${'a'.repeat(8192)}`, 'n')).toBe('a'.repeat(8192))
    expect(readCookie(`n=${'a'.repeat(8193)}`, 'n')).toBeUndefined()
  })

  it('gives up on a header over 32 KiB', () => {
    const pad = `pad=${'x'.repeat(32_768 - 'pad=; n=v'.length)}`
    expect(readCookie(`${pad}; n=v`, 'n')).toBe('v')
    expect(readCookie(`${pad}x; n=v`, 'n')).toBeUndefined()
    const huge = `${Array.from({ length: 10_000 }, (_, i) => `c${i}=v`).join('; ')}; n=v`
    expect(readCookie(huge, 'n')).toBeUndefined()
  })

  it('handles names that are Object.prototype members', () => {
    expect(readCookie('constructor=abc', 'constructor')).toBe('abc')
    expect(readCookie('__proto__=abc', '__proto__')).toBe('abc')
    expect(readCookie('a=1', '__proto__')).toBeUndefined()
    expect(readCookie('a=1', 'constructor')).toBeUndefined()
    expect(readCookie('a=1', 'toString')).toBeUndefined()
    expect(readCookie('__proto__=x; constructor=y', 'n')).toBeUndefined()
  })
})

describe('rewriteCookieHeader', () => {
  it('replaces a cookie, dropping every duplicate, keeping the others in order', () => {
    expect(rewriteCookieHeader('a=1; n=old; b=2; n=older', { n: 'new' })).toBe('a=1; b=2; n=new')
  })

  it('deletes with null', () => {
    expect(rewriteCookieHeader('a=1; n=old; b=2', { n: null })).toBe('a=1; b=2')
    expect(rewriteCookieHeader('n=old', { n: null })).toBe('')
  })

  it('adds to an empty or missing header', () => {
    expect(rewriteCookieHeader(null, { n: 'v' })).toBe('n=v')
    expect(rewriteCookieHeader(undefined, { n: 'v', m: 'w' })).toBe('n=v; m=w')
    expect(rewriteCookieHeader('', { n: null })).toBe('')
  })

  it('matches exact names only: a shadow twin is left alone', () => {
    expect(rewriteCookieHeader('baton.rt=evil; __Host-baton.rt=old', { '__Host-baton.rt': 'new' })).toBe(
      'baton.rt=evil; __Host-baton.rt=new',
    )
  })

  it('tolerates odd parts and prototype-member names', () => {
    expect(rewriteCookieHeader(' ; flag ;a=1;; constructor=c; __proto__=p ', { a: '2' })).toBe(
      'flag; constructor=c; __proto__=p; a=2',
    )
    expect(rewriteCookieHeader('toString=1; n=x', { n: 'y' })).toBe('toString=1; n=y')
  })

  it('round-trips with readCookie', () => {
    const header = rewriteCookieHeader('n=old; x=1; n=older', { n: 'brt_new', m: null })
    expect(readCookie(header, 'n')).toBe('brt_new')
    expect(readCookie(header, 'x')).toBe('1')
  })
})
