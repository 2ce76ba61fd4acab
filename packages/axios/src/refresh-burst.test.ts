import axios, { AxiosError, type AxiosInstance } from 'axios'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { type ApiServer, gate, startApiServer, tokenHolder, until } from './api-server.fixture.js'
import { AuthFailureError, withBaton } from './index.js'

const ids = Array.from({ length: 50 }, (_, i) => `/data/${i}`)

/** Holds every 401 until `count` of them are waiting, so all 50 fail before the refresh starts. */
function barrier(api: ApiServer, count: number) {
  const all = gate()
  let waiting = 0
  api.beforeUnauthorized = () => {
    if (++waiting === count) all.open()
    return all.promise
  }
}

describe.each(['http', 'fetch'] as const)('a burst of 401s (%s adapter)', (adapter) => {
  let api: ApiServer
  let client: AxiosInstance
  let holder: ReturnType<typeof tokenHolder>
  const onAuthFailure = vi.fn()

  beforeEach(async () => {
    api = await startApiServer()
    holder = tokenHolder(api)
    client = axios.create({ baseURL: api.url, adapter })
    onAuthFailure.mockReset()
    withBaton(client, { getAccessToken: holder.getAccessToken, refresh: holder.refresh, onAuthFailure })
  })
  afterEach(() => api.close())

  it('50 parallel 401s make one refresh; each request is retried once with the new token', async () => {
    barrier(api, 50)
    const responses = await Promise.all(ids.map((id) => client.get(id)))
    expect(responses.map((r) => r.status)).toEqual(ids.map(() => 200))
    expect(api.refreshCalls).toBe(1)
    for (const id of ids) expect(api.requests(id)).toEqual(['Bearer stale', 'Bearer t1'])
    expect(onAuthFailure).not.toHaveBeenCalled()
  })

  it('a failed refresh rejects all 50 with AuthFailureError and calls onAuthFailure once; the next 401 refreshes again', async () => {
    barrier(api, 50)
    api.mode = 'fail'
    const settled = await Promise.allSettled(ids.map((id) => client.get(id)))
    expect(api.refreshCalls).toBe(1)
    for (const result of settled) {
      expect(result.status).toBe('rejected')
      const error = (result as PromiseRejectedResult).reason
      expect(error).toBeInstanceOf(AuthFailureError)
      expect(error).toMatchObject({ code: 'ERR_REFRESH_TOKEN_INVALID', status: 401, name: 'AuthFailureError' })
      expect(error.cause).toBeInstanceOf(AxiosError)
      expect(error.cause.response.status).toBe(401)
    }
    const reasons = settled.map((r) => (r as PromiseRejectedResult).reason)
    expect(new Set(reasons.map((e) => e.refreshError)).size).toBe(1)
    expect(onAuthFailure).toHaveBeenCalledTimes(1)
    expect(onAuthFailure.mock.calls[0]?.[0]).toBeInstanceOf(AuthFailureError)
    for (const id of ids) expect(api.requests(id)).toEqual(['Bearer stale'])

    // The failure is not cached: the server recovers, the next 401 refreshes and succeeds.
    api.beforeUnauthorized = undefined
    api.mode = 'rotate'
    const next = await client.get('/data/next')
    expect(next.status).toBe(200)
    expect(api.refreshCalls).toBe(2)
    expect(api.requests('/data/next')).toEqual(['Bearer stale', 'Bearer t2'])
    expect(onAuthFailure).toHaveBeenCalledTimes(1)
  })

  it('a 401 that arrives after the refresh finished retries with the new token, without another refresh', async () => {
    const late = gate()
    api.beforeUnauthorized = (path) => (path === '/data/late' ? late.promise : Promise.resolve())
    const slow = client.get('/data/late')
    await until(() => api.requests('/data/late').length === 1)
    await client.get('/data/early') // 401, refresh, retry: the token is now t1
    expect(api.refreshCalls).toBe(1)
    late.open() // the late 401 for the stale token comes back now
    expect((await slow).status).toBe(200)
    expect(api.refreshCalls).toBe(1)
    expect(api.requests('/data/late')).toEqual(['Bearer stale', 'Bearer t1'])
  })

  it('requests made while a refresh is in flight wait for it and go out once, with the new token', async () => {
    const refreshing = gate()
    api.beforeRefresh = () => refreshing.promise
    const first = client.get('/data/first')
    await until(() => api.refreshCalls === 1)
    const later = ['/data/a', '/data/b', '/data/c'].map((id) => client.get(id))
    await new Promise((resolve) => setTimeout(resolve, 30))
    expect(api.requests('/data/a')).toEqual([]) // held back, not sent with the stale token
    refreshing.open()
    await Promise.all([first, ...later])
    for (const id of ['/data/a', '/data/b', '/data/c']) expect(api.requests(id)).toEqual(['Bearer t1'])
    expect(api.refreshCalls).toBe(1)
  })

  it('requests that waited for a refresh that failed are sent, and a 401 on them is final: no second refresh', async () => {
    const refreshing = gate()
    api.beforeRefresh = () => refreshing.promise
    api.mode = 'fail'
    const first = client.get('/data/first').catch((e: unknown) => e)
    await until(() => api.refreshCalls === 1)
    const waiting = client.get('/data/waiting').catch((e: unknown) => e)
    const open = client.get('/public') // public endpoints still answer
    await new Promise((resolve) => setTimeout(resolve, 20))
    refreshing.open()
    expect(await first).toBeInstanceOf(AuthFailureError)
    expect(await waiting).toMatchObject({ name: 'AuthFailureError', code: 'ERR_REFRESH_TOKEN_INVALID' })
    expect((await open).status).toBe(200)
    expect(api.requests('/data/waiting')).toEqual(['Bearer stale'])
    expect(api.refreshCalls).toBe(1)
    expect(onAuthFailure).toHaveBeenCalledTimes(1)
  })
})
