import type { SessionStore } from '@baton/core'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { backends, PASSWORD, request, setCookies, testBaton } from '../test-app.fixture.js'

for (const backend of backends) {
  describe(`auth routes on ${backend.name}`, () => {
    let store: SessionStore
    let close: () => Promise<void>
    beforeEach(async () => {
      ;({ store, close } = await backend.open())
    })
    afterEach(async () => {
      await close()
    })

    it('signs in, refreshes, lists sessions and signs out', async () => {
      const { baton } = await testBaton(store)
      const { POST, GET } = baton.handlers
      const names = baton.cookieNames
      const login = await POST(
        request('/api/auth/login', { method: 'POST', json: { email: 'ada@example.com', password: PASSWORD } }),
      )
      expect(login.status).toBe(200)
      const body = await login.json()
      expect(body.user).toEqual({ id: 'user-ada', email: 'ada@example.com', name: 'Ada' })
      const jar = setCookies(login)
      expect(Object.keys(jar).sort()).toEqual([names.access, names.refresh].sort())
      expect(login.headers.get('cache-control')).toBe('no-store')
      const refreshed = await POST(
        request('/api/auth/refresh', { method: 'POST', cookies: { [names.refresh]: jar[names.refresh] as string } }),
      )
      expect(refreshed.status).toBe(200)
      const jar2 = setCookies(refreshed)
      expect(jar2[names.refresh]).not.toBe(jar[names.refresh])
      const list = await GET(
        request('/api/auth/sessions', { cookies: { [names.access]: jar2[names.access] as string } }),
      )
      expect((await list.json()).sessions).toHaveLength(1)
      const out = await POST(
        request('/api/auth/logout', { method: 'POST', cookies: { [names.refresh]: jar2[names.refresh] as string } }),
      )
      expect(out.status).toBe(200)
      expect(setCookies(out)).toEqual({ [names.access]: '', [names.refresh]: '' })
      const after = await POST(
        request('/api/auth/refresh', { method: 'POST', cookies: { [names.refresh]: jar2[names.refresh] as string } }),
      )
      expect(after.status).toBe(401)
      expect((await after.json()).error.code).toBe('ERR_SESSION_REVOKED')
    })
  })
}
