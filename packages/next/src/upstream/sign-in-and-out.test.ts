import { afterAll, describe, expect, it } from 'vitest'
import { request } from '../test-app.fixture.js'
import { DEMO_USER, openSqliteFile, signInUpstream, upstreamBaton, useUpstream } from './upstream.fixture.js'

/** Login forwarding, what the browser gets, and sign-out reaching the upstream. */
describe('upstream sign-in and sign-out', () => {
  const upstream = useUpstream()
  const sqlite = openSqliteFile()
  afterAll(() => sqlite.close())

  it('login forwards the credentials; the browser gets only Baton cookies, never an upstream token', async () => {
    const { baton } = upstreamBaton(sqlite.store, { url: upstream().url })
    const { response, body, cookies, sessionId } = await signInUpstream(baton)
    expect(body.user).toEqual(DEMO_USER)
    expect(Object.keys(cookies).sort()).toEqual([baton.cookieNames.access, baton.cookieNames.refresh].sort())
    for (const line of response.headers.getSetCookie()) expect(line).toMatch(/HttpOnly/)
    const everything = JSON.stringify(body) + response.headers.getSetCookie().join('\n')
    expect(everything).not.toMatch(/uat_|urt_/)
    expect(upstream().controls.stats().logins).toBe(1)
    const session = await sqlite.store.getSession(sessionId)
    expect(session?.subject).toBe(DEMO_USER.id)
  })

  it('the raw store row holds the upstream pair only sealed (compact JWE, dir + A256GCM)', async () => {
    const { baton } = upstreamBaton(sqlite.store, { url: upstream().url })
    const { sessionId } = await signInUpstream(baton)
    const token = await baton.upstream.getAccessToken({ sessionId })
    const row = sqlite.db.$client.prepare('select * from baton_sessions where id = ?').get(sessionId) as object
    const raw = JSON.stringify(row)
    expect(raw).not.toContain(token)
    expect(raw).not.toMatch(/uat_|urt_/)
    const data = (row as { data: string }).data
    expect(data.split('.')).toHaveLength(5)
    const header = JSON.parse(Buffer.from(data.split('.')[0] as string, 'base64url').toString())
    expect(header).toMatchObject({ alg: 'dir', enc: 'A256GCM', kid: expect.stringMatching(/^k-/) })
  })

  it('wrong password: 401 ERR_INVALID_CREDENTIALS and no session', async () => {
    const { baton } = upstreamBaton(sqlite.store, { url: upstream().url })
    const response = await baton.handlers.POST(
      request('/api/auth/login', { method: 'POST', json: { email: DEMO_USER.email, password: 'nope' } }),
    )
    expect(response.status).toBe(401)
    expect((await response.json()).error.code).toBe('ERR_INVALID_CREDENTIALS')
    expect(response.headers.getSetCookie()).toEqual([])
  })

  it("the upstream's own login limit (429) reaches the client as 429 with Retry-After", async () => {
    const { baton } = upstreamBaton(sqlite.store, { url: upstream().url })
    upstream().controls.fail({ route: 'login', mode: '429', count: 1 })
    const response = await baton.handlers.POST(
      request('/api/auth/login', { method: 'POST', json: { email: DEMO_USER.email, password: 'x' } }),
    )
    expect(response.status).toBe(429)
    expect(response.headers.get('retry-after')).toBe('30')
    expect((await response.json()).error.code).toBe('ERR_RATE_LIMITED')
  })

  it('sign-out reaches the upstream logout and ends both sessions', async () => {
    const { baton } = upstreamBaton(sqlite.store, { url: upstream().url })
    const { cookies, sessionId } = await signInUpstream(baton)
    const response = await baton.handlers.POST(request('/api/auth/logout', { method: 'POST', cookies }))
    expect(response.status).toBe(200)
    expect(upstream().controls.stats()).toMatchObject({ logouts: 1, revokedFamilies: 1 })
    const session = await sqlite.store.getSession(sessionId)
    expect(session?.revokedAt).not.toBeNull()
    expect(session?.data).toBeNull() // no upstream token outlives the session
    await expect(baton.upstream.getAccessToken({ sessionId })).rejects.toMatchObject({ code: 'ERR_SESSION_REVOKED' })
  })

  it('sign-out with a hanging upstream still succeeds, within logoutTimeoutMs', async () => {
    const { baton } = upstreamBaton(sqlite.store, { url: upstream().url, logoutTimeoutMs: 300 })
    const { cookies, sessionId } = await signInUpstream(baton)
    upstream().controls.fail({ route: 'logout', mode: 'hang', count: 1 })
    const started = Date.now()
    const response = await baton.handlers.POST(request('/api/auth/logout', { method: 'POST', cookies }))
    expect(Date.now() - started).toBeLessThan(1500)
    expect(response.status).toBe(200)
    expect(response.headers.getSetCookie()).toHaveLength(2)
    expect((await sqlite.store.getSession(sessionId))?.revokedAt).not.toBeNull()
  })

  it('sign-out with the upstream down (503) still succeeds', async () => {
    const { baton } = upstreamBaton(sqlite.store, { url: upstream().url })
    const { cookies, sessionId } = await signInUpstream(baton)
    upstream().controls.fail({ route: 'logout', mode: '503', count: 1 })
    const response = await baton.handlers.POST(request('/api/auth/logout', { method: 'POST', cookies }))
    expect(response.status).toBe(200)
    expect((await sqlite.store.getSession(sessionId))?.revokedAt).not.toBeNull()
  })

  it('revoking a device and signing out everywhere log those upstream sessions out too', async () => {
    const { baton } = upstreamBaton(sqlite.store, { url: upstream().url })
    const a = await signInUpstream(baton)
    const b = await signInUpstream(baton)
    const c = await signInUpstream(baton)
    const revoke = await baton.handlers.DELETE(
      request(`/api/auth/sessions/${b.sessionId}`, { method: 'DELETE', cookies: a.cookies }),
    )
    expect(revoke.status).toBe(200)
    expect(upstream().controls.stats().logouts).toBe(1)
    const everywhere = await baton.handlers.POST(
      request('/api/auth/logout', { method: 'POST', cookies: a.cookies, json: { everywhere: true } }),
    )
    expect((await everywhere.json()).revoked).toBeGreaterThanOrEqual(2)
    expect(upstream().controls.stats().logouts).toBeGreaterThanOrEqual(3)
    expect((await sqlite.store.getSession(c.sessionId))?.data).toBeNull()
  })
})
