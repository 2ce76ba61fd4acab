import type { SessionStore } from '@baton/core'
import { NextRequest } from 'next/server'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { backends, ORIGIN, PASSWORD, request, setCookies, testBaton } from '../test-app.fixture.js'

describe('proxy', () => {
  let store: SessionStore
  let close: () => Promise<void>
  beforeEach(async () => {
    ;({ store, close } = await backends[0]!.open())
  })
  afterEach(async () => close())

  it('refreshes an expired access token and forwards the new cookies to the page', async () => {
    const { baton, clock } = await testBaton(store, { accessTokenTtl: 60 })
    const names = baton.cookieNames
    const login = await baton.handlers.POST(
      request('/api/auth/login', { method: 'POST', json: { email: 'ada@example.com', password: PASSWORD } }),
    )
    const jar = setCookies(login)
    clock.advance(120_000)
    const page = new NextRequest(new URL('/dashboard', ORIGIN), {
      headers: { cookie: `${names.access}=${jar[names.access]}; ${names.refresh}=${jar[names.refresh]}; theme=dark` },
    })
    const response = await baton.proxy(page)
    expect(response.status).toBe(200)
    const fresh = setCookies(response)
    expect(fresh[names.refresh]).toBeTruthy()
    expect(fresh[names.refresh]).not.toBe(jar[names.refresh])
    const forwarded = response.headers.get('x-middleware-request-cookie')
    expect(forwarded).toContain(`${names.access}=${fresh[names.access]}`)
    expect(forwarded).toContain(`${names.refresh}=${fresh[names.refresh]}`)
    expect(forwarded).toContain('theme=dark')
    expect(forwarded).not.toContain(jar[names.refresh] as string)
    expect(response.headers.get('x-middleware-override-headers')).toContain('cookie')
  })

  it('redirects a signed-out page to the sign-in page with ?next=', async () => {
    const { baton } = await testBaton(store)
    const response = await baton.proxy(new NextRequest(new URL('/dashboard/settings?tab=2', ORIGIN)))
    expect(response.status).toBe(307)
    expect(response.headers.get('location')).toBe(`${ORIGIN}/login?next=%2Fdashboard%2Fsettings%3Ftab%3D2`)
  })
})
