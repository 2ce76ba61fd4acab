import axios, { AxiosError, type AxiosInstance } from 'axios'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { type ApiServer, startApiServer, tokenHolder } from './api-server.fixture.js'
import { withBaton } from './index.js'

describe('withBaton: the Bearer header and what it leaves alone', () => {
  let api: ApiServer
  let client: AxiosInstance

  beforeEach(async () => {
    api = await startApiServer()
    client = axios.create({ baseURL: api.url })
  })
  afterEach(() => api.close())

  it('adds the Bearer header only when there is a token (sync or async getter)', async () => {
    let token: string | null | undefined = 't0'
    const refresh = vi.fn(async () => null)
    withBaton(client, { getAccessToken: async () => token, refresh })
    await client.get('/public')
    token = null
    await client.get('/public')
    token = undefined
    await client.get('/public')
    expect(api.requests('/public')).toEqual(['Bearer t0', undefined, undefined])
    expect(refresh).not.toHaveBeenCalled()
  })

  it('skipAuth: no header, and its 401 is final', async () => {
    const holder = tokenHolder(api, 't0')
    withBaton(client, holder)
    await client.get('/public', { baton: { skipAuth: true } })
    await expect(client.get('/data/1', { baton: { skipAuth: true } })).rejects.toMatchObject({
      response: { status: 401 },
    })
    expect(api.requests('/public')).toEqual([undefined])
    expect(api.refreshCalls).toBe(0)
  })

  it('keeps a caller-set Authorization header, and a 401 on it is final (a refresh could not change it)', async () => {
    withBaton(client, tokenHolder(api, 't0'))
    await client.get('/public', { headers: { Authorization: 'Basic c3RhZ2luZzpwdw==' } })
    await expect(client.get('/data/1', { headers: { authorization: 'Bearer mine' } })).rejects.toMatchObject({
      response: { status: 401 },
    })
    expect(api.requests('/public')).toEqual(['Basic c3RhZ2luZzpwdw=='])
    expect(api.requests('/data/1')).toEqual(['Bearer mine'])
    expect(api.refreshCalls).toBe(0)
  })

  it.each([403, 500])('passes a %i through untouched', async (status) => {
    let seen: unknown
    // Registered first, so it runs before Baton's and sees the original error.
    const spy = axios.create({ baseURL: api.url })
    spy.interceptors.response.use(undefined, (error) => {
      seen = error
      throw error
    })
    withBaton(spy, tokenHolder(api))
    const error = await spy.get(`/status/${status}`).catch((e: unknown) => e)
    expect(error).toBe(seen)
    expect((error as AxiosError).response?.status).toBe(status)
    expect(api.requests(`/status/${status}`)).toEqual(['Bearer stale'])
    expect(api.refreshCalls).toBe(0)
  })

  it('passes a network error through untouched', async () => {
    const refresh = vi.fn(async () => 'never')
    withBaton(client, { getAccessToken: () => 't0', refresh })
    const closed = await startApiServer()
    await closed.close()
    const error = await client.get(`${closed.url}/data/1`).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AxiosError)
    expect((error as AxiosError).response).toBeUndefined()
    expect((error as AxiosError).code).toBe('ECONNREFUSED')
    expect(refresh).not.toHaveBeenCalled()
  })

  it('a custom shouldRefresh (419) refreshes on 419 and no longer on 401', async () => {
    const holder = tokenHolder(api)
    const shouldRefresh = (error: AxiosError) => error.response?.status === 419
    withBaton(client, { ...holder, shouldRefresh })
    const error = await client.get('/status/419').catch((e: unknown) => e)
    expect((error as AxiosError).response?.status).toBe(419) // refreshed, retried once, still 419: final
    expect(api.refreshCalls).toBe(1)
    expect(api.requests('/status/419')).toEqual(['Bearer stale', 'Bearer t1'])
    holder.token = 'stale'
    await expect(client.get('/data/1')).rejects.toMatchObject({ response: { status: 401 } })
    expect(api.refreshCalls).toBe(1)
  })

  it('the returned function removes both interceptors', async () => {
    const holder = tokenHolder(api)
    const eject = withBaton(client, holder)
    await client.get('/data/1')
    expect(api.refreshCalls).toBe(1)
    eject()
    await client.get('/public')
    await expect(client.get('/data/2')).rejects.toMatchObject({ response: { status: 401 } })
    expect(api.requests('/public')).toEqual([undefined])
    expect(api.refreshCalls).toBe(1)
  })
})
