import axios, { AxiosError, type AxiosInstance } from 'axios'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { type ApiServer, startApiServer, tokenHolder } from './api-server.fixture.js'
import { AuthFailureError, withBaton } from './index.js'

describe('never a refresh loop', () => {
  let api: ApiServer
  let client: AxiosInstance
  const onAuthFailure = vi.fn()

  beforeEach(async () => {
    api = await startApiServer()
    client = axios.create({ baseURL: api.url })
    onAuthFailure.mockReset()
  })
  afterEach(() => api.close())

  it('a retried request that gets 401 again is final: one refresh, one retry, then the 401', async () => {
    const holder = tokenHolder(api)
    withBaton(client, { ...holder, onAuthFailure })
    api.mode = 'deny-all'
    const ids = ['/data/1', '/data/2', '/data/3']
    const errors = await Promise.all(ids.map((id) => client.get(id).catch((e: unknown) => e)))
    for (const error of errors) {
      expect(error).toBeInstanceOf(AxiosError)
      expect(error).not.toBeInstanceOf(AuthFailureError)
      expect((error as AxiosError).response?.status).toBe(401)
    }
    expect(api.refreshCalls).toBe(1)
    for (const id of ids) expect(api.requests(id)).toEqual(['Bearer stale', 'Bearer t1'])
    expect(onAuthFailure).not.toHaveBeenCalled() // the refresh itself worked
  })

  it('a 401 on a request marked skipRefresh is final: no refresh', async () => {
    withBaton(client, { ...tokenHolder(api), onAuthFailure })
    const error = await client.get('/data/x', { baton: { skipRefresh: true } }).catch((e: unknown) => e)
    expect((error as AxiosError).response?.status).toBe(401)
    expect(api.refreshCalls).toBe(0)
    expect(api.requests('/data/x')).toEqual(['Bearer stale'])
  })

  it('a 401 on a request matched by `skip` is final: no refresh', async () => {
    const skip = vi.fn((config: { url?: string }) => config.url === '/data/login')
    withBaton(client, { ...tokenHolder(api), skip })
    await expect(client.get('/data/login')).rejects.toMatchObject({ response: { status: 401 } })
    expect(skip).toHaveBeenCalled()
    expect(api.refreshCalls).toBe(0)
    await client.get('/data/other') // not skipped: refreshes
    expect(api.refreshCalls).toBe(1)
  })

  describe('the refresh call routed through the same instance, marked skipRefresh', () => {
    const refreshThrough = (instance: AxiosInstance, holder: { token: string | null }) => async () => {
      const { data } = await instance.post<{ accessToken: string }>('/refresh', null, { baton: { skipRefresh: true } })
      holder.token = data.accessToken
      return holder.token
    }

    it('works while other requests wait for it (it does not wait for itself)', async () => {
      const holder = tokenHolder(api)
      withBaton(client, { getAccessToken: holder.getAccessToken, refresh: refreshThrough(client, holder) })
      const responses = await Promise.all(['/data/1', '/data/2'].map((id) => client.get(id)))
      expect(responses.map((r) => r.status)).toEqual([200, 200])
      expect(api.refreshCalls).toBe(1)
      expect(api.requests('/refresh')).toEqual(['Bearer stale'])
    })

    it('a 401 from it is final: one refresh call, AuthFailureError, onAuthFailure once', async () => {
      const holder = tokenHolder(api)
      withBaton(client, {
        getAccessToken: holder.getAccessToken,
        refresh: refreshThrough(client, holder),
        onAuthFailure,
      })
      api.mode = 'fail'
      const errors = await Promise.all(['/data/1', '/data/2'].map((id) => client.get(id).catch((e: unknown) => e)))
      for (const error of errors) {
        expect(error).toBeInstanceOf(AuthFailureError)
        // Not a BatonError: the refresh rejected with the axios 401 itself.
        expect(error).toMatchObject({ code: 'ERR_UNAUTHENTICATED', refreshError: { response: { status: 401 } } })
      }
      expect(api.refreshCalls).toBe(1)
      expect(onAuthFailure).toHaveBeenCalledTimes(1)
    })
  })

  describe('the refresh call routed through the same instance and NOT marked', () => {
    // A request made synchronously by the refresh function is recognised as the
    // refresh call: without that it would wait for the refresh it is part of.
    const unmarked = (instance: AxiosInstance, holder: { token: string | null }) => async () => {
      const { data } = await instance.post<{ accessToken: string }>('/refresh')
      holder.token = data.accessToken
      return holder.token
    }

    it('does not deadlock', async () => {
      const holder = tokenHolder(api)
      withBaton(client, { getAccessToken: holder.getAccessToken, refresh: unmarked(client, holder) })
      const responses = await Promise.all(['/data/1', '/data/2'].map((id) => client.get(id)))
      expect(responses.map((r) => r.status)).toEqual([200, 200])
      expect(api.refreshCalls).toBe(1)
    }, 5_000)

    it('a 401 from it is final', async () => {
      const holder = tokenHolder(api)
      withBaton(client, { getAccessToken: holder.getAccessToken, refresh: unmarked(client, holder), onAuthFailure })
      api.mode = 'fail'
      const errors = await Promise.all(['/data/1', '/data/2'].map((id) => client.get(id).catch((e: unknown) => e)))
      expect(errors.every((e) => e instanceof AuthFailureError)).toBe(true)
      expect(api.refreshCalls).toBe(1)
      expect(onAuthFailure).toHaveBeenCalledTimes(1)
    }, 5_000)
  })
})
