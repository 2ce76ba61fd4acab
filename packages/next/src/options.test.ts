import { ConfigError, generateSigningKey, MemorySessionStore } from '@baton/core'
import { resolveBatonOptions } from '@baton/core/internal'
import { matcher } from '@baton/core/server/edge'
import { describe, expect, it } from 'vitest'
import { createBaton } from './create-baton.js'
import type { BatonOptions } from './options.js'
import { SECRET } from './test-app.fixture.js'

const authenticate = async () => null

function base(overrides: Partial<BatonOptions> = {}): BatonOptions {
  return { store: new MemorySessionStore(), secret: SECRET, authenticate, ...overrides }
}

/** Both entry points refuse it at creation with a ConfigError; returns the message. */
function refused(overrides: Partial<BatonOptions>): string {
  let message = ''
  for (const create of [() => resolveBatonOptions(base(overrides)), () => createBaton(base(overrides))]) {
    try {
      create()
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError)
      expect((error as ConfigError).status).toBe(500)
      message = (error as Error).message
      continue
    }
    throw new Error(`accepted ${JSON.stringify(overrides)}`)
  }
  return message
}

describe('resolveBatonOptions', () => {
  it('applies the documented defaults', () => {
    const o = resolveBatonOptions(base({ cookies: { secure: true } }))
    expect(o).toMatchObject({
      basePath: '/api/auth',
      signInPath: '/login',
      refreshLeewayMs: 60_000,
      rateLimit: { limit: 5, windowMs: 60_000, accountLimit: 20 },
      trustProxy: 0,
      clientIp: undefined,
      maxBodyBytes: 16_384,
    })
    expect([...o.allowedOrigins]).toEqual([])
    expect(o.isApi('/api/me')).toBe(true)
    expect(o.isApi('/apix')).toBe(false)
    expect(o.isProtected('/dashboard')).toBe(false)
  })

  it('requires authenticate', () => {
    expect(refused({ authenticate: undefined as never })).toMatch(/authenticate/)
    expect(refused({ authenticate: 'yes' as never })).toMatch(/authenticate/)
  })

  it.each(['/auth', '/api/auth', '/api/v1/auth', '/a_b-c/D9'])('accepts basePath %j', (basePath) => {
    expect(resolveBatonOptions(base({ basePath })).basePath).toBe(basePath)
  })

  it.each([
    'api/auth',
    '',
    '/',
    '/api/auth/',
    '//api/auth',
    '//evil.example',
    '/api//auth',
    '/api auth',
    '/api/auth?x',
    '/api/auth#x',
    '/api/../auth',
    '/api/./auth',
    '/api/%2e',
    'https://app.test/api/auth',
    '/api/\\auth',
    '/api/aüth',
  ])('refuses basePath %j', (basePath) => {
    expect(refused({ basePath })).toMatch(/basePath/)
  })

  it.each(['/login', '/', '/auth/sign-in', '/sign_in.html'])('accepts paths.signIn %j', (signIn) => {
    expect(resolveBatonOptions(base({ paths: { signIn } })).signInPath).toBe(signIn)
  })

  it.each([
    'login',
    '',
    '//evil.example',
    '//evil.example/login',
    '/\\evil.example',
    'https://evil.example/login',
    '/login?next=x',
    '/login#x',
    '/log in',
    '/login\r\nLocation: x',
    'javascript:alert(1)',
  ])('refuses paths.signIn %j', (signIn) => {
    expect(refused({ paths: { signIn } })).toMatch(/signIn/)
  })

  it('accepts bare origins for allowedOrigins', () => {
    const o = resolveBatonOptions(base({ allowedOrigins: ['https://admin.test', 'http://localhost:3001'] }))
    expect([...o.allowedOrigins]).toEqual(['https://admin.test', 'http://localhost:3001'])
  })

  it.each([
    ['*', /not a URL/],
    ['null', /not a URL/],
    ['admin.test', /not a URL/],
    ['', /not a URL/],
    ['https://admin.test/', /bare origin/],
    ['https://admin.test/path', /bare origin/],
    ['HTTPS://ADMIN.TEST', /bare origin/],
    ['https://admin.test:443', /bare origin/],
    ['https://user@admin.test', /bare origin/],
  ])('refuses allowedOrigins entry %j', (origin, message) => {
    expect(refused({ allowedOrigins: [origin] })).toMatch(message)
  })

  it.each([
    ['refreshLeeway', { refreshLeeway: -1 }],
    ['refreshLeeway NaN', { refreshLeeway: Number.NaN }],
    ['rateLimit.limit', { rateLimit: { limit: -1 } }],
    ['rateLimit.window', { rateLimit: { window: -5 } }],
    ['rateLimit.accountLimit', { rateLimit: { accountLimit: -20 } }],
    ['rateLimit.window Infinity', { rateLimit: { window: Number.POSITIVE_INFINITY } }],
    ['trustProxy', { trustProxy: -1 }],
    ['trustProxy Infinity', { trustProxy: Number.POSITIVE_INFINITY }],
    ['maxBodyBytes', { maxBodyBytes: -1 }],
    ['maxBodyBytes as a string', { maxBodyBytes: '16384' as never }],
  ])('refuses a negative or non-finite %s', (name, overrides) => {
    expect(refused(overrides as Partial<BatonOptions>)).toMatch(/must be a number/)
    expect(refused(overrides as Partial<BatonOptions>)).toContain(name.split(' ')[0])
  })

  it.each([
    ['refreshLeeway', { refreshLeeway: 60_000 }, 3600, 60000],
    ['rateLimit.window', { rateLimit: { window: 90_000_000 } }, 86400, 90000000],
  ])('refuses a %s passed in milliseconds by habit, saying the unit', (name, overrides, max, got) => {
    expect(refused(overrides as Partial<BatonOptions>)).toBe(
      `\`${name}\` is in seconds (at most ${max}); got ${got}. Did you pass milliseconds?`,
    )
  })

  it('takes refreshLeeway in seconds, fractions allowed, up to 3600', () => {
    expect(resolveBatonOptions(base({ refreshLeeway: 0.5 })).refreshLeewayMs).toBe(500)
    expect(resolveBatonOptions(base({ refreshLeeway: 3600 })).refreshLeewayMs).toBe(3_600_000)
  })

  it('floors counts and converts seconds', () => {
    const o = resolveBatonOptions(
      base({ rateLimit: { limit: 3.9, window: 1.5, accountLimit: 7.2 }, trustProxy: 1.7, maxBodyBytes: 100.9 }),
    )
    expect(o.rateLimit).toEqual({ limit: 3, windowMs: 1500, accountLimit: 7 })
    expect(o.trustProxy).toBe(1)
    expect(o.maxBodyBytes).toBe(100)
    expect(resolveBatonOptions(base({ rateLimit: false })).rateLimit).toBeNull()
  })

  it('refuses path rules that do not start with "/"', () => {
    expect(refused({ paths: { protected: ['dashboard'] } })).toMatch(/must start with/)
    expect(refused({ paths: { public: ['/ok', ''] } })).toMatch(/must start with/)
    expect(refused({ paths: { api: [42 as never] } })).toMatch(/must start with/)
  })

  it('protects prefixes by segment, minus public paths and the sign-in page', () => {
    const o = resolveBatonOptions(
      base({ paths: { protected: ['/dashboard/', '/admin'], public: ['/dashboard/help'], signIn: '/admin/login' } }),
    )
    expect(o.isProtected('/dashboard')).toBe(true)
    expect(o.isProtected('/dashboard/x')).toBe(true)
    expect(o.isProtected('/dashboardx')).toBe(false)
    expect(o.isProtected('/dashboard/help')).toBe(false)
    expect(o.isProtected('/dashboard/help/faq')).toBe(false)
    expect(o.isProtected('/admin/login')).toBe(false)
    expect(o.isProtected('/admin/users')).toBe(true)
    const everything = resolveBatonOptions(base({ paths: { protected: ['/'] } }))
    expect(everything.isProtected('/anything')).toBe(true)
    expect(everything.isProtected('/login')).toBe(false)
    const fn = resolveBatonOptions(base({ paths: { protected: (p: string) => p.endsWith('.secret') } }))
    expect(fn.isProtected('/a.secret')).toBe(true)
  })

  it('matcher falls back to its default list', () => {
    expect(matcher(undefined, ['/api'])('/api/x')).toBe(true)
    expect(matcher([], ['/api'])('/api/x')).toBe(false)
  })

  describe('the default account key', () => {
    const key = resolveBatonOptions(base()).accountKey
    it('takes exactly one of email, username or login, so a junk second field cannot change the key', () => {
      expect(key({ email: 'E@x.y', password: 'p' })).toBe('e@x.y')
      expect(key({ username: 'U' })).toBe('u')
      expect(key({ login: 'L' })).toBe('l')
      expect(key({ password: 'p' })).toBeNull()
      expect(key({ email: 'E@x.y', username: 'u' })).toBeNull()
      expect(key({ username: 'U', login: 'l' })).toBeNull()
      expect(key({ email: 'e@x.y', username: 'u', login: 'l' })).toBeNull()
    })

    it('folds case, surrounding space and compatibility forms to one key', () => {
      const forms = [
        'hello@x.y',
        'HELLO@X.Y',
        '  hello@x.y\t',
        'ｈｅｌｌｏ@x.y',
        'ℌello@x.y',
        '𝐇𝐄𝐋𝐋𝐎@x.y',
        '\u3000hello@x.y',
      ]
      expect(new Set(forms.map((f) => key({ email: f })))).toEqual(new Set(['hello@x.y']))
    })

    it('a custom accountKey replaces it', () => {
      expect(
        resolveBatonOptions(base({ accountKey: (c: Record<string, string>) => c.tenant ?? null })).accountKey({
          tenant: 't',
        }),
      ).toBe('t')
    })
  })
})

describe('createBaton', () => {
  it('refuses bad cookie settings at creation', () => {
    expect(refused({ cookies: { accessName: 'a;b' } })).toMatch(/Cookie name/)
    expect(refused({ cookies: { secure: false, hostPrefix: true } })).toMatch(/__Host-/)
    expect(refused({ cookies: { sameSite: 'none' as never } })).toMatch(/sameSite/)
  })

  it('refuses bad engine options at creation', () => {
    expect(() => createBaton(base({ secret: 'short' }))).toThrow(ConfigError)
    expect(() => createBaton(base({ accessTokenTtl: -1 }))).toThrow(ConfigError)
    expect(() => createBaton(base({ store: undefined as never }))).toThrow(ConfigError)
    expect(() => createBaton(base({ reuseGrace: 10, refreshTokenTtl: 5 }))).toThrow(ConfigError)
  })

  it('refuses a public key as the signing key', async () => {
    const key = await generateSigningKey()
    expect(() => createBaton(base({ keys: { sign: key.publicJwk } }))).toThrow(ConfigError)
    expect(() => createBaton(base({ keys: { sign: key.privateJwk } }))).not.toThrow()
  })

  it('exposes the resolved options and cookie names', () => {
    const baton = createBaton(base({ cookies: { secure: true }, basePath: '/auth' }))
    expect(baton.options.basePath).toBe('/auth')
    expect(baton.cookieNames).toEqual({ access: '__Host-baton.at', refresh: '__Host-baton.rt' })
    expect(baton.engine.options.issuer).toBe('baton')
  })
})
