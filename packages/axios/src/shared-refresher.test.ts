import axios from 'axios'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { type ApiServer, startApiServer, tokenHolder } from './api-server.fixture.js'
import { AuthFailureError, createRefresher, withBaton } from './index.js'

describe('one refresher shared by several axios instances', () => {
  let api: ApiServer

  beforeEach(async () => {
    api = await startApiServer()
  })
  afterEach(() => api.close())

  it('401s on two instances make one refresh', async () => {
    const holder = tokenHolder(api)
    const refresher = createRefresher(holder.refresh)
    const users = axios.create({ baseURL: api.url })
    const orders = axios.create({ baseURL: api.url, adapter: 'fetch' })
    withBaton(users, { getAccessToken: holder.getAccessToken, refresher })
    withBaton(orders, { getAccessToken: holder.getAccessToken, refresher })
    const ids = Array.from({ length: 10 }, (_, i) => `/data/${i}`)
    const responses = await Promise.all(ids.map((id, i) => (i % 2 ? users : orders).get(id)))
    expect(responses.every((r) => r.status === 200)).toBe(true)
    expect(api.refreshCalls).toBe(1)
    for (const id of ids) expect(api.requests(id)).toEqual(['Bearer stale', 'Bearer t1'])
  })

  it('a shared failure calls the same onAuthFailure once, and each different one once', async () => {
    api.mode = 'fail'
    const holder = tokenHolder(api)
    const refresher = createRefresher(holder.refresh)
    const shared = vi.fn()
    const own = vi.fn()
    const a = axios.create({ baseURL: api.url })
    const b = axios.create({ baseURL: api.url })
    const c = axios.create({ baseURL: api.url })
    withBaton(a, { getAccessToken: holder.getAccessToken, refresher, onAuthFailure: shared })
    withBaton(b, { getAccessToken: holder.getAccessToken, refresher, onAuthFailure: shared })
    withBaton(c, { getAccessToken: holder.getAccessToken, refresher, onAuthFailure: own })
    const errors = await Promise.all(
      [a, b, c, a, b, c].map((instance, i) => instance.get(`/data/${i}`).catch((e: unknown) => e)),
    )
    expect(errors.every((e) => e instanceof AuthFailureError)).toBe(true)
    expect(api.refreshCalls).toBe(1)
    expect(shared).toHaveBeenCalledTimes(1)
    expect(own).toHaveBeenCalledTimes(1)
  })
})
