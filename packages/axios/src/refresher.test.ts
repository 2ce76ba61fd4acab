import { UpstreamUnavailableError } from '@baton/core'
import { BatonError, isBatonError } from '@baton/core/client'
import { describe, expect, it } from 'vitest'
import { gate } from './api-server.fixture.js'
import { AuthFailureError, createRefresher } from './index.js'

describe('createRefresher', () => {
  it('shares one run, exposes it as `pending` while it runs, and starts a new one after', async () => {
    let calls = 0
    const open = gate()
    const refresher = createRefresher(async () => {
      calls++
      await open.promise
      return `t${calls}`
    })
    expect(refresher.pending).toBeUndefined()
    const runs = Array.from({ length: 20 }, () => refresher.refresh())
    expect(refresher.pending).toBe(runs[0])
    open.open()
    expect(new Set(await Promise.all(runs))).toEqual(new Set(['t1']))
    expect(refresher.pending).toBeUndefined()
    expect(await refresher.refresh()).toBe('t2')
    expect(calls).toBe(2)
  })

  it('shares a failure without caching it', async () => {
    let calls = 0
    const refresher = createRefresher(async () => {
      if (++calls === 1) throw new BatonError('ERR_REFRESH_TOKEN_REUSED', 'reused')
      return 'ok'
    })
    const settled = await Promise.allSettled([refresher.refresh(), refresher.refresh()])
    expect(settled.map((s) => s.status)).toEqual(['rejected', 'rejected'])
    expect(refresher.pending).toBeUndefined()
    expect(await refresher.refresh()).toBe('ok')
  })

  it.each([null, undefined, ''])('treats %j as "no session": ERR_UNAUTHENTICATED', async (token) => {
    const refresher = createRefresher(async () => token)
    const error = await refresher.refresh().catch((e: unknown) => e)
    expect(isBatonError(error, 'ERR_UNAUTHENTICATED')).toBe(true)
  })
})

describe('AuthFailureError', () => {
  it('takes the code and status of a BatonError refresh error, else ERR_UNAUTHENTICATED / 401', () => {
    const upstream = new BatonError('ERR_UPSTREAM_UNAVAILABLE', 'down', { status: 502 })
    const cause = new Error('the request')
    const a = new AuthFailureError(upstream, { cause })
    expect(a).toMatchObject({ code: 'ERR_UPSTREAM_UNAVAILABLE', status: 502, refreshError: upstream, cause })
    expect(new AuthFailureError(new UpstreamUnavailableError())).toMatchObject({ status: 503 })
    expect(a).toBeInstanceOf(BatonError)
    const b = new AuthFailureError(new TypeError('fetch failed'))
    expect(b).toMatchObject({ code: 'ERR_UNAUTHENTICATED', status: 401, name: 'AuthFailureError' })
    expect(b.toJSON()).toEqual({ error: { code: 'ERR_UNAUTHENTICATED', message: b.message } })
  })
})
