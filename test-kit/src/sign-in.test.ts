import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CookieJar, refresh, signIn } from './index.js'

// A stand-in for Baton's /api/auth routes: checks what a browser's same-origin request carries.
let origin = ''
const seen: { path: string; origin?: string; cookie?: string; type?: string; body: string }[] = []
const server = createServer((request: IncomingMessage, response: ServerResponse) => {
  let body = ''
  request.on('data', (chunk) => {
    body += chunk
  })
  request.on('end', () => {
    const path = request.url ?? ''
    seen.push({
      path,
      origin: request.headers.origin,
      cookie: request.headers.cookie,
      type: request.headers['content-type'],
      body,
    })
    const json = (status: number, value: unknown, cookies: string[] = []) => {
      response.writeHead(status, { 'content-type': 'application/json', 'set-cookie': cookies })
      response.end(JSON.stringify(value))
    }
    if (request.headers.origin !== origin) return json(403, { error: { code: 'ERR_ORIGIN' } })
    if (path === '/api/auth/login') {
      const { password } = JSON.parse(body) as { password: string }
      if (password !== 'right') return json(401, { error: { code: 'ERR_INVALID_CREDENTIALS' } })
      return json(200, { accessToken: 'at-1', user: { id: 'ada' }, session: { id: 's1' } }, [
        'baton.at=at-1; Path=/; HttpOnly',
        'baton.rt=rt-1; Path=/api/auth; HttpOnly',
      ])
    }
    if (path === '/api/auth/refresh') {
      if (request.headers.cookie?.includes('baton.rt=rt-1'))
        return json(200, { accessToken: 'at-2' }, ['baton.at=at-2; Path=/', 'baton.rt=rt-2; Path=/api/auth'])
      return json(401, { error: { code: 'ERR_REFRESH_TOKEN_REUSED' } }, [
        'baton.at=; Max-Age=0; Path=/',
        'baton.rt=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/api/auth',
      ])
    }
    json(404, {})
  })
})

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => new Promise((resolve) => server.close(resolve)))

describe('signIn and refresh over HTTP', () => {
  it('signs in with a same-origin JSON POST and keeps the cookies, the token and the body', async () => {
    const signed = await signIn({
      base: `${origin}/api/auth`,
      credentials: { email: 'ada@example.com', password: 'right' },
    })
    expect(seen.at(-1)).toEqual({
      path: '/api/auth/login',
      origin,
      cookie: undefined,
      type: 'application/json',
      body: JSON.stringify({ email: 'ada@example.com', password: 'right' }),
    })
    expect(signed.accessToken).toBe('at-1')
    expect(signed.body.session.id).toBe('s1')
    expect(signed.jar.toJSON()).toEqual({ 'baton.at': 'at-1', 'baton.rt': 'rt-1' })
    expect(signed.jar.header()).toBe('baton.at=at-1; baton.rt=rt-1')

    const rotated = await refresh({ base: `${origin}/api/auth/`, jar: signed.jar })
    expect(seen.at(-1)).toMatchObject({ path: '/api/auth/refresh', origin, cookie: 'baton.at=at-1; baton.rt=rt-1' })
    expect(rotated).toMatchObject({ status: 200, accessToken: 'at-2', set: { 'baton.at': 'at-2', 'baton.rt': 'rt-2' } })
    expect(signed.jar.get('baton.rt')).toBe('rt-2')

    const refused = await refresh({ base: `${origin}/api/auth`, jar: signed.jar })
    expect(refused).toMatchObject({ status: 401, accessToken: null, set: { 'baton.at': '', 'baton.rt': '' } })
    expect(refused.body).toEqual({ error: { code: 'ERR_REFRESH_TOKEN_REUSED' } })
    expect(signed.jar.toJSON()).toEqual({})
  })

  it('rejects a refused sign-in with its status and body', async () => {
    await expect(
      signIn({ base: `${origin}/api/auth`, credentials: { email: 'ada@example.com', password: 'wrong' } }),
    ).rejects.toThrow(/answered 401: .*ERR_INVALID_CREDENTIALS/)
  })

  it('sends the Origin it is given (a cross-origin caller)', async () => {
    await expect(
      signIn({ base: `${origin}/api/auth`, origin: 'http://evil.test', credentials: { password: 'right' } }),
    ).rejects.toThrow(/answered 403/)
    expect(seen.at(-1)?.origin).toBe('http://evil.test')
  })
})

describe('signIn in process', () => {
  it('hands the Request to `fetch` instead of the network', async () => {
    const requests: Request[] = []
    const signed = await signIn({
      base: 'http://app.test/api/auth',
      credentials: { email: 'ada@example.com' },
      headers: { 'user-agent': 'kit' },
      fetch: async (request) => {
        requests.push(request)
        return Response.json(
          { accessToken: 'at', user: {}, session: { id: 's' } },
          {
            headers: [['set-cookie', '__Host-baton.at=at; Path=/; Secure']],
          },
        )
      },
    })
    expect(requests.map((r) => [r.method, r.url, r.headers.get('origin'), r.headers.get('user-agent')])).toEqual([
      ['POST', 'http://app.test/api/auth/login', 'http://app.test', 'kit'],
    ])
    expect(signed.jar.toJSON()).toEqual({ '__Host-baton.at': 'at' })
  })
})

describe('CookieJar', () => {
  it('starts from names and values and reads Set-Cookie lines given as strings', () => {
    const jar = new CookieJar({ a: '1', b: '2' })
    expect(jar.absorb(['b=; Max-Age=0', 'c=x=y; Path=/'])).toEqual({ b: '', c: 'x=y' })
    expect(jar.header()).toBe('a=1; c=x=y')
  })
})
