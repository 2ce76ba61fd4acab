/**
 * Issue 15, the store split by concern, seen from createBaton: a store with
 * only token families runs local sign-in (rate limits then count in this
 * process), while upstream mode needs session data and says so at startup.
 */
import { ConfigError, MemorySessionStore, type SessionStore } from '@baton/core'
import { tokenFamilyOnlyStore as tokenFamilyOnly } from '@baton/core/testing'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { PASSWORD, request, setCookies, testBaton } from '../test-app.fixture.js'

const login = (password: string) =>
  request('/api/auth/login', { method: 'POST', json: { email: 'ada@example.com', password } })

afterEach(() => {
  vi.restoreAllMocks()
})

describe('createBaton on a store with only token families', () => {
  it('signs in, refreshes and signs out; failed logins are still limited (in process memory)', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    // testBaton's parameter is the full SessionStore; createBaton itself takes a TokenFamilyStore.
    const { baton } = await testBaton(tokenFamilyOnly() as SessionStore, { rateLimit: { limit: 2, accountLimit: 2 } })
    const ok = await baton.handlers.POST(login(PASSWORD))
    expect(ok.status).toBe(200)
    const { refreshToken } = await baton.engine.refresh({ refreshToken: setCookies(ok)[baton.cookieNames.refresh] })
    expect(await baton.engine.signOut({ refreshToken })).not.toBeNull()
    expect((await baton.handlers.POST(login('wrong'))).status).toBe(401)
    expect((await baton.handlers.POST(login('wrong'))).status).toBe(401)
    const limited = await baton.handlers.POST(login('wrong'))
    expect(limited.status).toBe(429)
    expect((await limited.json()).error.code).toBe('ERR_RATE_LIMITED')
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/no rate limits/))
  })

  it('refuses upstream mode at startup: it needs a SessionDataStore', async () => {
    const start = testBaton(tokenFamilyOnly() as SessionStore, { upstream: { url: 'http://api.test' } })
    await expect(start).rejects.toBeInstanceOf(ConfigError)
    await expect(start).rejects.toThrow(/SessionDataStore/)
    const full = await testBaton(new MemorySessionStore(), { upstream: { url: 'http://api.test' } })
    expect(full.baton.upstream.enabled).toBe(true)
  })
})
