import axios, { isCancel } from 'axios'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { type ApiServer, gate, startApiServer, tokenHolder, until } from './api-server.fixture.js'
import { withBaton } from './index.js'

// A DOM (happy-dom) with axios's browser build, whose default adapter is
// XMLHttpRequest, talking to the same real server across origins.
describe('in a browser (happy-dom, XMLHttpRequest)', () => {
  let api: ApiServer

  beforeEach(async () => {
    api = await startApiServer()
    // happy-dom reports every 4xx on the real console, as a browser does; these tests assert on them instead.
    const write = process.stderr.write.bind(process.stderr)
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk, ...rest) =>
      /^(GET|POST) \S+ 4\d\d /.test(String(chunk)) ? true : write(chunk, ...(rest as [])),
    )
  })
  afterEach(async () => {
    vi.restoreAllMocks()
    await api.close()
  })

  it('runs on the XHR adapter of the browser build', () => {
    expect(typeof window).toBe('object')
    expect(typeof XMLHttpRequest).toBe('function')
    expect(() => axios.getAdapter('http')).toThrow(/no suitable adapter/)
    expect(axios.getAdapter(axios.defaults.adapter)).toBe(axios.getAdapter('xhr'))
  })

  it('50 parallel 401s make one refresh and each request is retried once', async () => {
    const client = axios.create({ baseURL: api.url })
    const holder = tokenHolder(api)
    withBaton(client, holder)
    const ids = Array.from({ length: 50 }, (_, i) => `/data/${i}`)
    const responses = await Promise.all(ids.map((id) => client.get(id)))
    expect(responses.every((r) => r.status === 200)).toBe(true)
    expect(api.refreshCalls).toBe(1)
    for (const id of ids) expect(api.requests(id)).toEqual(['Bearer stale', 'Bearer t1'])
  })
  it('a request aborted while it waits for the refresh rejects at once; the others succeed', async () => {
    const refreshing = gate()
    api.beforeRefresh = () => refreshing.promise
    const client = axios.create({ baseURL: api.url })
    withBaton(client, tokenHolder(api))
    const controller = new AbortController()
    const aborted = client.get('/data/aborted', { signal: controller.signal }).catch((e: unknown) => e)
    const other = client.get('/data/other')
    await until(() => api.refreshCalls === 1 && api.requests('/data/aborted').length === 1)
    await new Promise((resolve) => setTimeout(resolve, 20))
    controller.abort()
    expect(isCancel(await aborted)).toBe(true)
    refreshing.open()
    expect((await other).status).toBe(200)
    expect(api.requests('/data/aborted')).toEqual(['Bearer stale'])
  })
})
