/**
 * Issue 13 §8a: `createBaton` and the Edge proxy must read the same cookie
 * names. The README's pattern — one config object passed to both — keeps
 * them in step; when they still disagree, the Edge proxy says so in the
 * server log instead of silently looping the user back to sign-in.
 */
import { MemorySessionStore } from '@baton/core'
import { resolveCookieSettings } from '@baton/core/server/edge'
import { NextRequest } from 'next/server'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { signedIn } from '../proxy/sql-backends.fixture.js'
import type { BatonSharedConfig } from '../shared-config.js'
import { ORIGIN, SECRET, testBaton } from '../test-app.fixture.js'
import { foreignCookieWarning } from './cookie-agreement.js'
import { createEdgeProxy } from './index.js'

const page = (cookie: string) => new NextRequest(new URL('/dashboard', ORIGIN), { headers: { cookie } })

afterEach(() => {
  vi.restoreAllMocks()
})

describe('one shared config for createBaton and createEdgeProxy', () => {
  it.each([
    ['plain-http next start', { cookies: { secure: false } }],
    ['production defaults', { cookies: { secure: true } }],
    ['renamed cookies', { cookies: { secure: true, accessName: 'app.at', refreshName: 'app.rt' } }],
  ])('%s: the Edge proxy accepts the cookies the routes set', async (_, cookies) => {
    const config = { secret: SECRET, paths: { protected: ['/dashboard'] }, ...cookies } satisfies BatonSharedConfig
    const { baton } = await testBaton(new MemorySessionStore(), config)
    const proxy = createEdgeProxy(config)
    const session = await signedIn(baton)
    const response = await proxy(page(session.cookie()))
    expect(response.status).toBe(200)
    expect(response.headers.get('x-middleware-next')).toBe('1')
  })
})

describe('disagreeing cookie options', () => {
  it('the README trap (secure: false on the routes only) is reported once, naming both spellings', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    const { baton } = await testBaton(new MemorySessionStore(), { cookies: { secure: false } })
    const proxy = createEdgeProxy({ secret: SECRET, paths: { protected: ['/dashboard'] }, cookies: { secure: true } })
    const session = await signedIn(baton)
    const first = await proxy(page(session.cookie()))
    // Still a redirect: the proxy cannot read the session, but the log now says why.
    expect(first.status).toBe(307)
    expect(error).toHaveBeenCalledTimes(1)
    const message = String(error.mock.calls[0]?.[0])
    expect(message).toContain('ERR_CONFIG')
    expect(message).toContain('__Host-baton.rt')
    expect(message).toContain('baton.rt')
    expect(message).toContain('same config object')
    await proxy(page(session.cookie()))
    expect(error).toHaveBeenCalledTimes(1)
  })

  it('reports the opposite mismatch too, and never a request carrying its own names', () => {
    const reports: string[] = []
    const plain = foreignCookieWarning(resolveCookieSettings({ secure: false }), (m) => reports.push(m))
    plain(new Request(ORIGIN, { headers: { cookie: 'baton.rt=x; __Host-baton.rt=y' } }))
    plain(new Request(ORIGIN, { headers: { cookie: 'other=1' } }))
    plain(new Request(ORIGIN))
    expect(reports).toEqual([])
    plain(new Request(ORIGIN, { headers: { cookie: '__Host-baton.at=x' } }))
    expect(reports).toHaveLength(1)
    expect(reports[0]).toContain('reads the cookies baton.at / baton.rt, but requests carry __Host-baton.at')
  })
})
