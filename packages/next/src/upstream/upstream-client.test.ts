import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, describe, expect, it } from 'vitest'
import { createUpstreamClient } from '../axios/create-upstream-client.js'
import { openSqliteFile, request, signInUpstream, upstreamBaton, useUpstream } from './upstream.fixture.js'

/** The server-side axios client: where the token goes, what is retried, what a signed-out session gets. */
describe('createUpstreamClient', () => {
  const upstream = useUpstream()
  const sqlite = openSqliteFile()
  afterAll(() => sqlite.close())

  it('never sends the upstream token to another host, even for an absolute URL', async () => {
    const seen: (string | undefined)[] = []
    const other = createServer((req, res) => {
      seen.push(req.headers.authorization)
      res.end('{}')
    })
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve))
    try {
      const { baton } = upstreamBaton(sqlite.store, { url: upstream().url, retries: 0 })
      const api = createUpstreamClient(baton, await signInUpstream(baton), { baseURL: 'http://ignored.test' })
      const elsewhere = `http://127.0.0.1:${(other.address() as AddressInfo).port}/steal`
      await api.get(elsewhere).catch(() => undefined)
      expect(seen).toEqual([])
      expect((await api.get('/me')).status).toBe(200)
    } finally {
      other.close()
    }
  })

  it('a POST is not retried after an outage: the upstream sees it once', async () => {
    const { baton } = upstreamBaton(sqlite.store, { url: upstream().url, retryDelayMs: 10 })
    const signedIn = await signInUpstream(baton)
    upstream().controls.fail({ route: 'logout', mode: '503', count: 2 })
    const api = createUpstreamClient(baton, signedIn)
    await expect(api.post('/auth/logout', { refreshToken: 'x' })).rejects.toMatchObject({
      code: 'ERR_UPSTREAM_UNAVAILABLE',
      status: 502,
    })
    expect(upstream().controls.stats()).toMatchObject({ injectedFailures: 1, logouts: 0 })
  })

  it('other upstream errors stay axios errors (a 404 is the app’s business)', async () => {
    const { baton } = upstreamBaton(sqlite.store, { url: upstream().url })
    const api = createUpstreamClient(baton, await signInUpstream(baton))
    await expect(api.get('/nope')).rejects.toMatchObject({ isAxiosError: true, response: { status: 404 } })
  })

  it('a client of a signed-out session rejects with 401 and calls nothing upstream', async () => {
    const { baton } = upstreamBaton(sqlite.store, { url: upstream().url })
    const signedIn = await signInUpstream(baton)
    await baton.handlers.POST(request('/api/auth/logout', { method: 'POST', cookies: signedIn.cookies }))
    const before = upstream().controls.stats().meCalls
    await expect(createUpstreamClient(baton, signedIn).get('/me')).rejects.toMatchObject({
      code: 'ERR_SESSION_REVOKED',
      status: 401,
    })
    expect(upstream().controls.stats().meCalls).toBe(before)
  })

  it('refuses to build without upstream mode, and junk sessions get 401, not 500', async () => {
    const { baton } = upstreamBaton(sqlite.store, { url: upstream().url })
    await expect(baton.upstream.getAccessToken({ sessionId: 'no-such-session' })).rejects.toMatchObject({ status: 401 })
    await expect(baton.upstream.getAccessToken(null as never)).rejects.toMatchObject({ status: 401 })
    const { baton: local } = upstreamBaton(sqlite.store, undefined as never, { authenticate: async () => null })
    expect(local.upstream.enabled).toBe(false)
    expect(() => createUpstreamClient(local, { sessionId: 'x' })).toThrow(/Upstream mode is off/)
  })
})
