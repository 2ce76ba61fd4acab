/**
 * What runProxy reports with `devtools` on, for every action and reason, over
 * stand-in verify/refresh (the real stores and proxies: proxy-devtools.test.ts),
 * and that `devtools` off answers exactly the same minus the report.
 */
import { cookieNames, resolveCookieSettings } from '@baton/core/server/edge'
import {
  AccessTokenExpiredError,
  AccessTokenInvalidError,
  ConfigError,
  RefreshTokenReusedError,
  SessionExpiredError,
  SessionRevokedError,
  StoreUnavailableError,
} from '@baton/core/verify'
import { NextRequest } from 'next/server'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { DEVTOOLS_COOKIE, devtoolsCookie, reportOutcome, resolveDevtools, serverTimingEntry } from './proxy-report.js'
import { type ProxyDeps, runProxy } from './run-proxy.js'

const NOW = 1_800_000_000_000
const MINUTE = 60_000
const settings = resolveCookieSettings({ secure: false, hostPrefix: false })
const TOKENS: Record<string, () => Promise<{ expiresAt: number; issuedAt: number }>> = {
  valid: async () => ({ expiresAt: NOW + 10 * MINUTE, issuedAt: NOW - 5 * MINUTE }),
  expiring: async () => ({ expiresAt: NOW + 30_000, issuedAt: NOW - 14.5 * MINUTE }),
  expired: async () => Promise.reject(new AccessTokenExpiredError()),
  forged: async () => Promise.reject(new AccessTokenInvalidError()),
}

function deps(devtools: boolean, refreshError?: unknown): ProxyDeps {
  return {
    basePath: '/api/auth',
    isProtected: (p) => p.startsWith('/dashboard') || p === '/api/me',
    isApi: (p) => p.startsWith('/api/'),
    signInPath: '/login',
    leewayMs: MINUTE,
    cookies: settings,
    names: cookieNames(settings),
    origin: { publicOrigin: null, trustProxy: 0 },
    now: () => NOW,
    verify: (token) => (TOKENS[token] ?? TOKENS.forged!)(),
    async refresh() {
      if (refreshError) throw refreshError
      const setCookies = ['baton.at=fresh; Path=/; HttpOnly', 'baton.rt=brt_fresh; Path=/; HttpOnly']
      return { setCookies, accessToken: 'fresh', refreshToken: 'brt_fresh' }
    },
    devtools,
  }
}

type Case = [action: string, path: string, headers: Record<string, string>, refreshError?: unknown]
const cookie = (at?: string, rt = true) => ({
  cookie: [at && `baton.at=${at}`, rt && 'baton.rt=brt_old'].filter(Boolean).join('; '),
})
const CASES: Case[] = [
  ['passed:preflight', '/api/me', { 'access-control-request-method': 'GET' }],
  ['passed:auth-route', '/api/auth/refresh', cookie('expired')],
  ['passed:unprotected', '/about', {}],
  ['verified:valid', '/dashboard', cookie('valid')],
  ['refreshed:expiring', '/dashboard', cookie('expiring')],
  ['refreshed:expired', '/dashboard', cookie('expired')],
  ['refreshed:invalid-access', '/dashboard', cookie('forged')],
  ['refreshed:missing-access', '/api/me', cookie()],
  ['kept:missing-refresh', '/dashboard', cookie('expiring', false)],
  ['kept:ERR_STORE_UNAVAILABLE', '/dashboard', cookie('expiring'), new StoreUnavailableError()],
  ['unavailable:ERR_STORE_UNAVAILABLE', '/dashboard', cookie('expired'), new StoreUnavailableError()],
  ['unavailable:ERR_INTERNAL', '/api/me', cookie('expired'), new Error('socket hang up')],
  ['redirected:ERR_UNAUTHENTICATED', '/dashboard/settings', {}],
  ['redirected:ERR_REFRESH_TOKEN_REUSED', '/dashboard', cookie('expired'), new RefreshTokenReusedError()],
  ['redirected:ERR_SESSION_REVOKED', '/dashboard', cookie('expired'), new SessionRevokedError()],
  ['redirected:ERR_SESSION_EXPIRED', '/dashboard', cookie(), new SessionExpiredError()],
  ['denied:ERR_UNAUTHENTICATED', '/api/me', cookie('expired', false)],
  ['denied:ERR_SESSION_REVOKED', '/api/me', cookie('expired'), new SessionRevokedError()],
  ['denied:ERR_BAD_REQUEST', '/dashboard', { host: 'app example.com' }],
  ['bearer:valid', '/api/me', { authorization: 'Bearer valid' }],
  ['denied:ERR_ACCESS_TOKEN_EXPIRED', '/api/me', { authorization: 'Bearer expired' }],
  ['denied:ERR_ACCESS_TOKEN_INVALID', '/api/me', { authorization: 'Bearer two words' }],
]

const proxied = (path: string, headers: Record<string, string>, on: boolean, refreshError?: unknown) => {
  const method = 'access-control-request-method' in headers ? 'OPTIONS' : 'GET'
  return runProxy(new NextRequest(new URL(path, 'http://app.test'), { method, headers }), deps(on, refreshError))
}

/** Every header but the report, in order (Set-Cookie lines included). */
const headersBesidesReport = (response: Response) =>
  [...response.headers].filter(([name, value]) => name !== 'server-timing' && !value.startsWith(`${DEVTOOLS_COOKIE}=`))

describe('runProxy with devtools', () => {
  it.each(CASES)('reports %s', async (report, path, headers, refreshError) => {
    const on = await proxied(path, headers, true, refreshError)
    expect(on.headers.get('server-timing')).toMatch(new RegExp(`^baton;dur=\\d+\\.\\d;desc="${report}"$`))
    const devCookie = on.headers.getSetCookie().filter((line) => line.startsWith(`${DEVTOOLS_COOKIE}=`))
    if (report.startsWith('redirected:')) {
      expect(on.status).toBe(307)
      expect(devCookie).toHaveLength(1)
      const value = /^baton-devtools=([^;]*);/.exec(devCookie[0] ?? '')?.[1] ?? ''
      expect(JSON.parse(decodeURIComponent(value))).toEqual({
        action: 'redirected',
        reason: report.slice('redirected:'.length),
        path,
        at: NOW,
      })
    } else {
      expect(devCookie).toEqual([])
    }

    // Off: no report, and otherwise the very same answer.
    const off = await proxied(path, headers, false, refreshError)
    expect(off.headers.get('server-timing')).toBeNull()
    expect(off.headers.getSetCookie().some((line) => line.startsWith(`${DEVTOOLS_COOKIE}=`))).toBe(false)
    expect(off.status).toBe(on.status)
    expect(headersBesidesReport(off)).toEqual(headersBesidesReport(on))
    expect(await off.text()).toBe(await on.text())
  })
})

describe('the report', () => {
  afterEach(() => vi.unstubAllEnvs())

  it('is one Server-Timing entry with the duration to one decimal', () => {
    expect(serverTimingEntry('refreshed', 'expired', 12.345)).toBe('baton;dur=12.3;desc="refreshed:expired"')
    expect(serverTimingEntry('verified', 'valid', 0)).toBe('baton;dur=0.0;desc="verified:valid"')
  })

  it('is appended to a Server-Timing value the response already has, never replacing it', () => {
    const response = new Response(null, { headers: { 'server-timing': 'db;dur=4' } })
    const outcome = { response, action: 'verified' as const, reason: 'valid' }
    reportOutcome(outcome, { durationMs: 1.25, pathname: '/dashboard', at: NOW, secure: false })
    expect(response.headers.get('server-timing')).toBe('db;dur=4, baton;dur=1.3;desc="verified:valid"')
    expect(response.headers.getSetCookie()).toEqual([])
  })

  it('sets its cookie on redirects only: readable, Lax, 60 s, Secure when the app cookies are', () => {
    const line = devtoolsCookie({ action: 'redirected', reason: 'ERR_SESSION_REVOKED', path: '/a b', at: NOW }, true)
    expect(line).toBe(
      'baton-devtools=%7B%22action%22%3A%22redirected%22%2C%22reason%22%3A%22ERR_SESSION_REVOKED%22%2C%22path%22%3A%22%2Fa%20b%22%2C%22at%22%3A1800000000000%7D; Max-Age=60; Path=/; SameSite=Lax; Secure',
    )
    expect(line).not.toMatch(/HttpOnly/i)
    expect(devtoolsCookie({ action: 'redirected', reason: 'x', path: '/', at: 0 }, false)).not.toMatch(/Secure/)
  })

  it('is on by default under next dev only, and refuses a non-boolean', () => {
    vi.stubEnv('NODE_ENV', 'development')
    expect(resolveDevtools(undefined)).toBe(true)
    expect(resolveDevtools(false)).toBe(false)
    vi.stubEnv('NODE_ENV', 'production')
    expect(resolveDevtools(undefined)).toBe(false)
    expect(resolveDevtools(true)).toBe(true)
    vi.stubEnv('NODE_ENV', 'test')
    expect(resolveDevtools(undefined)).toBe(false)
    expect(() => resolveDevtools('yes' as never)).toThrow(ConfigError)
  })
})
