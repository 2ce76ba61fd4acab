import { afterEach, describe, expect, it, vi } from 'vitest'
import { ConfigError } from '../../index.js'
import { type CookieSettings, cookieNames, resolveCookieSettings } from './cookie-settings.js'

afterEach(() => {
  vi.unstubAllEnvs()
})

function refused(input: Partial<CookieSettings>): string {
  try {
    resolveCookieSettings(input)
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError)
    return (error as Error).message
  }
  throw new Error(`accepted ${JSON.stringify(input)}`)
}

describe('resolveCookieSettings', () => {
  it('defaults to secure + __Host- in production', () => {
    vi.stubEnv('NODE_ENV', 'production')
    const settings = resolveCookieSettings()
    expect(settings).toEqual({
      accessName: 'baton.at',
      refreshName: 'baton.rt',
      secure: true,
      hostPrefix: true,
      sameSite: 'lax',
    })
    expect(cookieNames(settings)).toEqual({ access: '__Host-baton.at', refresh: '__Host-baton.rt' })
  })

  it('defaults to plain cookies elsewhere', () => {
    vi.stubEnv('NODE_ENV', 'development')
    const settings = resolveCookieSettings()
    expect(settings).toMatchObject({ secure: false, hostPrefix: false })
    expect(cookieNames(settings)).toEqual({ access: 'baton.at', refresh: 'baton.rt' })
  })

  it('allows secure without the prefix, and custom token names up to 64 characters', () => {
    const settings = resolveCookieSettings({
      secure: true,
      hostPrefix: false,
      accessName: 'a'.repeat(64),
      refreshName: "r!#$%&'*+.^_`|~-",
    })
    expect(cookieNames(settings)).toEqual({ access: 'a'.repeat(64), refresh: "r!#$%&'*+.^_`|~-" })
  })

  it.each([
    ['a;b'],
    ['a=b'],
    ['a b'],
    ['a,b'],
    ['a\r\nSet-Cookie: x'],
    ['a\tb'],
    ['"a"'],
    ['a(b)'],
    ['a/b'],
    ['é'],
    [''],
    ['a'.repeat(65)],
    ['__Host-x'],
    ['__host-x'],
    ['__Secure-x'],
    ['__SECURE-x'],
  ])('refuses the cookie name %j', (name) => {
    expect(refused({ accessName: name })).toBeTruthy()
    expect(refused({ refreshName: name })).toBeTruthy()
  })

  it('refuses non-string names', () => {
    expect(refused({ accessName: 42 as never })).toMatch(/Cookie name/)
    expect(refused({ refreshName: ['a'] as never })).toMatch(/Cookie name/)
  })

  it('refuses the same name twice', () => {
    expect(refused({ accessName: 'x', refreshName: 'x' })).toMatch(/different names/)
  })

  it('refuses the __Host- prefix without secure', () => {
    expect(refused({ secure: false, hostPrefix: true })).toMatch(/__Host-/)
  })

  it.each(['none', 'None', 'LAX', '', 'strict ' as string])('refuses sameSite %j', (sameSite) => {
    expect(refused({ sameSite: sameSite as 'lax' })).toMatch(/sameSite/)
  })
})
