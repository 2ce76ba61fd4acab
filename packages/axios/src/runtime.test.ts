import axios from 'axios'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type ApiServer, startApiServer, tokenHolder } from './api-server.fixture.js'
import { withBaton } from './index.js'

// A server-side client (a Node script, a worker, a server component's API
// client): no window, no document, no XMLHttpRequest. Nothing to configure.
describe('in Node, without a window', () => {
  let api: ApiServer

  beforeEach(async () => {
    api = await startApiServer()
  })
  afterEach(() => api.close())

  it('has no DOM globals here', () => {
    expect(typeof (globalThis as { window?: unknown }).window).toBe('undefined')
    expect(typeof (globalThis as { document?: unknown }).document).toBe('undefined')
    expect(typeof (globalThis as { XMLHttpRequest?: unknown }).XMLHttpRequest).toBe('undefined')
  })

  it.each([undefined, 'http', 'fetch'] as const)('refreshes and retries with the %s adapter', async (adapter) => {
    const client = axios.create({ baseURL: api.url, ...(adapter ? { adapter } : {}) })
    const holder = tokenHolder(api)
    withBaton(client, holder)
    const { data } = await client.get('/data/1')
    expect(data).toEqual({ path: '/data/1', auth: `Bearer ${holder.token}` })
    expect(api.requests('/data/1')).toEqual(['Bearer stale', `Bearer ${holder.token}`])
  })
})
