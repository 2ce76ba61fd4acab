import axios, { type AxiosInstance, isCancel } from 'axios'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type ApiServer, type Gate, gate, startApiServer, tokenHolder, until } from './api-server.fixture.js'
import { withBaton } from './index.js'

describe.each(['http', 'fetch'] as const)('AbortSignal (%s adapter)', (adapter) => {
  let api: ApiServer
  let client: AxiosInstance
  let refreshing: Gate
  /** URLs whose 401 Baton's response handler has taken up. */
  let handled: Set<string | undefined>

  beforeEach(async () => {
    api = await startApiServer()
    refreshing = gate()
    api.beforeRefresh = () => refreshing.promise
    client = axios.create({ baseURL: api.url, adapter })
    handled = new Set()
    withBaton(client, {
      ...tokenHolder(api),
      shouldRefresh: (error) => handled.add(error.config?.url).size > 0 && error.response?.status === 401,
    })
  })
  afterEach(() => api.close())

  it('aborting one request waiting for the refresh rejects it at once; the others still succeed', async () => {
    const controller = new AbortController()
    const aborted = client.get('/data/aborted', { signal: controller.signal }).catch((e: unknown) => e)
    const others = ['/data/1', '/data/2', '/data/3'].map((id) => client.get(id))
    await until(() => api.refreshCalls === 1 && handled.has('/data/aborted'))
    controller.abort()
    // Rejects while the refresh is still held open: promptly, not after it.
    const error = await aborted
    expect(isCancel(error)).toBe(true)
    expect(error).toMatchObject({ name: 'CanceledError', code: 'ERR_CANCELED' })
    refreshing.open()
    expect((await Promise.all(others)).map((r) => r.status)).toEqual([200, 200, 200])
    expect(api.refreshCalls).toBe(1)
    expect(api.requests('/data/aborted')).toEqual(['Bearer stale']) // never retried
  })

  it('aborting every waiting request does not cancel the shared refresh', async () => {
    const holder = tokenHolder(api)
    const own = axios.create({ baseURL: api.url, adapter })
    withBaton(own, holder)
    const controller = new AbortController()
    const waiting = own.get('/data/1', { signal: controller.signal }).catch((e: unknown) => e)
    await until(() => api.refreshCalls === 1)
    controller.abort()
    expect(isCancel(await waiting)).toBe(true)
    refreshing.open()
    await until(() => holder.token === 't1')
    expect((await own.get('/data/2')).status).toBe(200)
    expect(api.refreshCalls).toBe(1)
  })

  it('a request made during the refresh and aborted while it waits is never sent', async () => {
    const first = client.get('/data/first')
    await until(() => api.refreshCalls === 1)
    const controller = new AbortController()
    const waiting = client.get('/data/later', { signal: controller.signal }).catch((e: unknown) => e)
    await new Promise((resolve) => setTimeout(resolve, 10))
    controller.abort()
    expect(isCancel(await waiting)).toBe(true)
    refreshing.open()
    await first
    expect(api.requests('/data/later')).toEqual([])
  })

  it('a request already aborted when its 401 is handled is neither refreshed for nor retried', async () => {
    const controller = new AbortController()
    const aborting = axios.create({ baseURL: api.url, adapter })
    // Runs before Baton's handler: the caller gives up just as the 401 arrives.
    aborting.interceptors.response.use(undefined, (error) => {
      controller.abort()
      throw error
    })
    withBaton(aborting, tokenHolder(api))
    const error = await aborting.get('/data/1', { signal: controller.signal }).catch((e: unknown) => e)
    expect(isCancel(error)).toBe(true)
    expect(api.refreshCalls).toBe(0)
    expect(api.requests('/data/1')).toEqual(['Bearer stale'])
  })
})
