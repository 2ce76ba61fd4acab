import { describe, expect, it } from 'vitest'
import { type CookieSettings, cookieNames, resolveCookieSettings } from './cookie-settings.js'
import { clearCookie, clearedCookies, serializeCookie, sessionCookies, toSetCookie } from './set-cookie.js'

const NOW = Date.UTC(2026, 0, 1, 12, 0, 0)
const production: CookieSettings = resolveCookieSettings({ secure: true })
const development: CookieSettings = resolveCookieSettings({ secure: false })

describe('serializeCookie', () => {
  it('writes Max-Age, Expires and the hardening attributes (secure)', () => {
    expect(serializeCookie('__Host-baton.at', 'abc', NOW + 900_000, NOW, production)).toBe(
      '__Host-baton.at=abc; Max-Age=900; Expires=Thu, 01 Jan 2026 12:15:00 GMT; Path=/; HttpOnly; SameSite=Lax; Secure',
    )
  })

  it('omits Secure in development and can be Strict', () => {
    expect(serializeCookie('baton.at', 'abc', NOW + 60_000, NOW, development)).toBe(
      'baton.at=abc; Max-Age=60; Expires=Thu, 01 Jan 2026 12:01:00 GMT; Path=/; HttpOnly; SameSite=Lax',
    )
    const strict = resolveCookieSettings({ secure: true, sameSite: 'strict' })
    expect(serializeCookie('n', 'v', NOW + 1000, NOW, strict)).toMatch(/; SameSite=Strict; Secure$/)
  })

  it('floors partial seconds, never goes negative, and keeps Expires in step with Max-Age', () => {
    expect(serializeCookie('n', 'v', NOW + 1999, NOW, production)).toContain(
      'Max-Age=1; Expires=Thu, 01 Jan 2026 12:00:01 GMT',
    )
    expect(serializeCookie('n', 'v', NOW - 5000, NOW, production)).toContain(
      'Max-Age=0; Expires=Thu, 01 Jan 2026 12:00:00 GMT',
    )
  })

  it('never writes Domain', () => {
    expect(serializeCookie('n', 'v', NOW + 1000, NOW, production)).not.toMatch(/domain/i)
  })
})

describe('clearCookie', () => {
  it('expires the cookie with the same attributes it was set with', () => {
    expect(clearCookie('__Host-baton.rt', production)).toBe(
      '__Host-baton.rt=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/; HttpOnly; SameSite=Lax; Secure',
    )
    expect(clearCookie('baton.rt', development)).toBe(
      'baton.rt=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/; HttpOnly; SameSite=Lax',
    )
  })
})

describe('sessionCookies / clearedCookies', () => {
  const tokens = {
    accessToken: 'eyJ.a.b',
    accessTokenExpiresAt: NOW + 900_000,
    refreshToken: 'brt_xyz',
    refreshTokenExpiresAt: NOW + 7 * 86_400_000,
  }

  it('sets the access and refresh cookies under their __Host- names in production', () => {
    const [access, refresh] = sessionCookies(cookieNames(production), tokens, NOW, production).map(toSetCookie)
    expect(access).toMatch(/^__Host-baton\.at=eyJ\.a\.b; Max-Age=900; /)
    expect(refresh).toMatch(/^__Host-baton\.rt=brt_xyz; Max-Age=604800; /)
    for (const line of [access, refresh]) {
      // What a browser requires of __Host-: Secure, Path=/, no Domain.
      expect(line).toMatch(/; Path=\/; /)
      expect(line).toMatch(/; Secure$/)
      expect(line).not.toMatch(/Domain/i)
      expect(line).toMatch(/; HttpOnly; /)
    }
  })

  it('uses plain names in development', () => {
    const lines = sessionCookies(cookieNames(development), tokens, NOW, development).map(toSetCookie)
    expect(lines.map((l) => l.split('=')[0])).toEqual(['baton.at', 'baton.rt'])
  })

  it('clears both', () => {
    expect(clearedCookies(cookieNames(production), production).map((c) => toSetCookie(c).split(';')[0])).toEqual([
      '__Host-baton.at=',
      '__Host-baton.rt=',
    ])
  })
})

describe('CookieInstruction', () => {
  it('carries what a framework cookie API needs, in step with the Set-Cookie value', () => {
    const [access] = sessionCookies(
      cookieNames(production),
      { accessToken: 'a', accessTokenExpiresAt: NOW + 1999, refreshToken: 'r', refreshTokenExpiresAt: NOW + 5000 },
      NOW,
      production,
    )
    expect(access).toEqual({
      name: '__Host-baton.at',
      value: 'a',
      maxAge: 1,
      expires: NOW + 1000,
      path: '/',
      httpOnly: true,
      secure: true,
      sameSite: 'lax',
    })
    const [cleared] = clearedCookies(cookieNames(development), development)
    expect(cleared).toMatchObject({ name: 'baton.at', value: '', maxAge: 0, secure: false })
  })
})
