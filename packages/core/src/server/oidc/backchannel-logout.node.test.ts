import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { decodeJwt } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type OidcProviderFixture,
  signInAtProvider,
  startOidcProvider,
} from '../../../../../test-kit/src/oidc-provider.js'
import { MemorySessionStore } from '../../index.js'
import type { AuthServer } from '../auth-server.js'
import { createAuthServer } from '../create-auth-server.js'
import { nodeListener } from '../node-listener.fixture.js'
import { cookieHeader, SECRET } from '../server.fixture.js'

// Two Baton instances on one store; the provider sends its logout tokens to B over real HTTP.
let op: OidcProviderFixture
let http: Server
let origin = ''
let a: AuthServer
let b: AuthServer
const received: string[] = []
const idTokens: string[] = []

function instance(store: MemorySessionStore): AuthServer {
  return createAuthServer({
    store,
    secret: SECRET,
    cookies: { secure: false },
    publicOrigin: origin,
    oidc: {
      providers: {
        oidc: {
          issuer: op.issuer,
          clientId: 'baton-test',
          clientSecret: 'baton-test-secret-0123456789abcdef0123456789',
          authorizationParams: { prompt: 'consent' },
        },
      },
      fetch: async (input, init) => {
        const res = await fetch(input, init)
        if (String(input).endsWith('/token') && res.ok) idTokens.push((await res.clone().json()).id_token)
        return res
      },
    },
  })
}

beforeAll(async () => {
  let handle: AuthServer['handle'] = async () => new Response(null, { status: 503 })
  const recording = {
    handle: async (request: Request) => {
      if (new URL(request.url).pathname.includes('/backchannel-logout/')) received.push(await request.clone().text())
      return handle(request)
    },
  } as AuthServer
  http = createServer(nodeListener(recording))
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve))
  origin = `http://127.0.0.1:${(http.address() as AddressInfo).port}`
  op = await startOidcProvider({
    redirectUris: [`${origin}/api/auth/callback/oidc`],
    backchannelLogoutUri: `${origin}/api/auth/backchannel-logout/oidc`,
  })
  const store = new MemorySessionStore()
  a = instance(store)
  b = instance(store)
  handle = (request) => b.handle(request)
})
afterAll(async () => {
  await op?.close()
  await new Promise((resolve) => http?.close(resolve))
})

const req = (path: string, init: { method?: string; cookie?: string; body?: string; type?: string } = {}) =>
  new Request(`${origin}/api/auth${path}`, {
    method: init.method ?? 'GET',
    headers: {
      origin,
      accept: 'application/json',
      ...(init.cookie ? { cookie: init.cookie } : {}),
      ...(init.type ? { 'content-type': init.type } : {}),
    },
    body: init.body ?? null,
  })

/** Signs `login` in on A in a fresh provider session; the cookies and the provider's `sid`. */
async function device(login: string): Promise<{ cookie: string; sid: string }> {
  const start = await a.handle(req('/signin/oidc?returnTo=/'))
  const back = await signInAtProvider(start.headers.get('location') as string, { login })
  const res = await a.handle(req(`/callback/oidc${back.search}`, { cookie: cookieHeader(start) }))
  expect(res.status).toBe(303)
  const sid = decodeJwt(idTokens.at(-1) as string).sid
  expect(typeof sid).toBe('string')
  return { cookie: cookieHeader(res), sid: sid as string }
}

const refreshOn = async (auth: AuthServer, cookie: string) => {
  const res = await auth.handle(req('/refresh', { method: 'POST', cookie }))
  return { status: res.status, code: res.ok ? null : (await res.json()).error.code }
}

describe('OpenID Connect back-channel logout, from oidc-provider over HTTP', () => {
  it('ends the session with that sid on every instance, and only that one', async () => {
    const laptop = await device('carol')
    const phone = await device('carol')
    expect(laptop.sid).not.toBe(phone.sid)
    const sent = await op.backchannelLogout({ sub: 'carol', sid: laptop.sid })
    expect(sent).toEqual([expect.objectContaining({ ok: true })])
    expect(await refreshOn(a, laptop.cookie)).toEqual({ status: 401, code: 'ERR_SESSION_REVOKED' })
    expect((await refreshOn(a, phone.cookie)).status).toBe(200)
  })

  it('refuses a replayed, a tampered or a missing logout token with 400', async () => {
    await device('dave')
    const { sid } = { sid: decodeJwt(idTokens.at(-1) as string).sid as string }
    await op.backchannelLogout({ sub: 'dave', sid })
    const body = received.at(-1) as string
    const token = new URLSearchParams(body).get('logout_token') as string
    const post = (form: string, type = 'application/x-www-form-urlencoded') =>
      b.handle(req('/backchannel-logout/oidc', { method: 'POST', body: form, type }))
    const replay = await post(body)
    expect(replay.status).toBe(400)
    expect((await replay.json()).error.message).toMatch(/replayed/)
    const [h, p, s] = token.split('.') as [string, string, string]
    const tampered = await post(`logout_token=${h}.${p}.${s.slice(0, -4)}AAAA`)
    expect(tampered.status).toBe(400)
    const claims = decodeJwt(token)
    const forged = Buffer.from(JSON.stringify({ ...claims, sid: 'someone-else', jti: 'x' })).toString('base64url')
    expect((await post(`logout_token=${h}.${forged}.${s}`)).status).toBe(400)
    expect((await post('nothing=here')).status).toBe(400)
    expect((await post(`logout_token=${token}`, 'application/json')).status).toBe(415)
  })

  it('needs no same-origin header (the provider is not a browser), and an unknown provider is a 404', async () => {
    const res = await b.handle(
      new Request(`${origin}/api/auth/backchannel-logout/nobody`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'logout_token=x',
      }),
    )
    expect(res.status).toBe(404)
  })
})
