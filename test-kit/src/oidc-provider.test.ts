import { createHash, createPublicKey, randomBytes, verify } from 'node:crypto'
import { createServer } from 'node:http'
import { createServer as createNetServer } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  CookieJar,
  DEFAULT_OIDC_CLIENT,
  freePort,
  type OidcProviderFixture,
  signInAtProvider,
  signOutAtProvider,
  startOidcProvider,
} from './index.js'

// The relying party's side, by hand: an authorization URL with PKCE (S256), the code exchange
// and refreshes with fetch and HTTP Basic client authentication.
const REDIRECT_URI = 'http://127.0.0.1:3999/api/auth/callback'
const POST_LOGOUT_URI = 'http://127.0.0.1:3999/signed-out'
const BASIC = `Basic ${Buffer.from(`${DEFAULT_OIDC_CLIENT.client_id}:${DEFAULT_OIDC_CLIENT.client_secret}`).toString('base64')}`
const b64url = (bytes: Buffer): string => bytes.toString('base64url')
type Json = Record<string, unknown>

let op: OidcProviderFixture
let config: Json
const logoutTokens: string[] = []
const receiver = createServer((request, response) => {
  let body = ''
  request.on('data', (chunk) => (body += chunk))
  request.on('end', () => {
    logoutTokens.push(new URLSearchParams(body).get('logout_token') ?? '')
    response.writeHead(200).end()
  })
})

beforeAll(async () => {
  const receiverPort = await freePort()
  await new Promise<void>((resolve) => receiver.listen(receiverPort, '127.0.0.1', resolve))
  op = await startOidcProvider({
    redirectUris: [REDIRECT_URI],
    postLogoutRedirectUris: [POST_LOGOUT_URI],
    backchannelLogoutUri: `http://127.0.0.1:${receiverPort}/backchannel`,
  })
  config = await (await fetch(`${op.issuer}/.well-known/openid-configuration`)).json()
})
afterAll(async () => {
  await op?.close()
  receiver.closeAllConnections()
  await new Promise((resolve) => receiver.close(resolve))
})

function authorizationRequest(params: Record<string, string> = {}) {
  const verifier = b64url(randomBytes(32))
  const state = b64url(randomBytes(16))
  const nonce = b64url(randomBytes(16))
  const url = new URL(String(config.authorization_endpoint))
  url.search = new URLSearchParams({
    client_id: DEFAULT_OIDC_CLIENT.client_id,
    redirect_uri: REDIRECT_URI,
    response_type: 'code',
    scope: 'openid profile email offline_access',
    prompt: 'consent',
    state,
    nonce,
    code_challenge: b64url(createHash('sha256').update(verifier).digest()),
    code_challenge_method: 'S256',
    ...params,
  }).toString()
  return { url: url.href, verifier, state, nonce }
}

async function token(form: Record<string, string>): Promise<{ status: number; body: Json }> {
  const response = await fetch(String(config.token_endpoint), {
    method: 'POST',
    headers: { authorization: BASIC, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form),
  })
  return { status: response.status, body: await response.json() }
}

/** Signs in as `login` and exchanges the code: the token endpoint's JSON. */
async function codeFlow(login = 'alice', params: Record<string, string> = {}, jar = new CookieJar()) {
  const request = authorizationRequest(params)
  const callback = await signInAtProvider(request.url, { login, jar })
  const code = callback.searchParams.get('code') ?? ''
  const answer = await token({
    grant_type: 'authorization_code',
    code,
    redirect_uri: REDIRECT_URI,
    code_verifier: request.verifier,
  })
  return { request, callback, ...answer }
}

/** Verifies an RS256 JWT against the provider's JWKS and returns its claims. */
async function verifiedClaims(jwt: string): Promise<Json> {
  const [header = '', payload = '', signature = ''] = jwt.split('.')
  const { kid, alg } = JSON.parse(Buffer.from(header, 'base64url').toString())
  expect(alg).toBe('RS256')
  const { keys } = (await (await fetch(String(config.jwks_uri))).json()) as { keys: Json[] }
  const key = createPublicKey({ key: keys.find((candidate) => candidate.kid === kid) as never, format: 'jwk' })
  expect(verify('sha256', Buffer.from(`${header}.${payload}`), key, Buffer.from(signature, 'base64url'))).toBe(true)
  return JSON.parse(Buffer.from(payload, 'base64url').toString())
}

describe('startOidcProvider', () => {
  it('publishes discovery with the iss parameter, PKCE S256 and the endpoints an RP needs', () => {
    expect(config).toMatchObject({
      issuer: op.issuer,
      authorization_response_iss_parameter_supported: true,
      code_challenge_methods_supported: ['S256'],
      revocation_endpoint: `${op.issuer}/token/revocation`,
      end_session_endpoint: `${op.issuer}/session/end`,
      backchannel_logout_supported: true,
    })
    expect(config.scopes_supported).toEqual(expect.arrayContaining(['openid', 'profile', 'email', 'offline_access']))
  })

  it('runs the code flow with PKCE: code + state + iss, then ID, access and refresh tokens', async () => {
    const before = op.counts.authorizationCode
    const { request, callback, status, body } = await codeFlow('bob')
    expect(callback.origin + callback.pathname).toBe(REDIRECT_URI)
    expect(callback.searchParams.get('state')).toBe(request.state)
    expect(callback.searchParams.get('iss')).toBe(op.issuer)
    expect(status).toBe(200)
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 60, scope: 'openid profile email offline_access' })
    expect(body.access_token).toEqual(expect.any(String))
    expect(body.refresh_token).toEqual(expect.any(String))
    const claims = await verifiedClaims(String(body.id_token))
    expect(claims).toMatchObject({ iss: op.issuer, aud: 'baton-test', sub: 'bob', nonce: request.nonce })
    expect(claims.sid).toEqual(expect.any(String))
    const userinfo = await fetch(String(config.userinfo_endpoint), {
      headers: { authorization: `Bearer ${body.access_token}` },
    })
    expect(await userinfo.json()).toEqual({ sub: 'bob', name: 'Bob', email: 'bob@example.com', email_verified: true })
    expect(op.counts.authorizationCode).toBe(before + 1)
  })

  it('requires PKCE and checks the verifier', async () => {
    const url = new URL(authorizationRequest().url)
    url.searchParams.delete('code_challenge')
    url.searchParams.delete('code_challenge_method')
    const denied = await signInAtProvider(url.href)
    expect(denied.searchParams.get('error')).toBe('invalid_request')
    expect(denied.searchParams.get('iss')).toBe(op.issuer)
    const request = authorizationRequest()
    const code = (await signInAtProvider(request.url)).searchParams.get('code') ?? ''
    const wrong = await token({
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT_URI,
      code_verifier: b64url(randomBytes(32)),
    })
    expect(wrong).toMatchObject({ status: 400, body: { error: 'invalid_grant' } })
  })

  it('drops offline_access (no refresh token) unless the request has prompt=consent', async () => {
    const { status, body } = await codeFlow('carol', { prompt: '' })
    expect(status).toBe(200)
    expect(body.refresh_token).toBeUndefined()
    expect(body.scope).toBe('openid profile email')
  })

  it('rotates refresh tokens; a rotated one presented again fails and revokes the grant (new one too)', async () => {
    const { body } = await codeFlow('dave')
    const first = String(body.refresh_token)
    const before = op.counts.refreshToken
    const rotated = await token({ grant_type: 'refresh_token', refresh_token: first })
    expect(rotated.status).toBe(200)
    const second = String(rotated.body.refresh_token)
    expect(second).not.toBe(first)
    expect((await verifiedClaims(String(rotated.body.id_token))).sub).toBe('dave')
    const replay = await token({ grant_type: 'refresh_token', refresh_token: first })
    expect(replay).toMatchObject({ status: 400, body: { error: 'invalid_grant' } })
    const afterReplay = await token({ grant_type: 'refresh_token', refresh_token: second })
    expect(afterReplay).toMatchObject({ status: 400, body: { error: 'invalid_grant' } })
    expect(op.counts.refreshToken).toBe(before + 3)
    const reused = op.events.find((event) => event.type === 'refresh_token.reused')
    expect(reused).toMatchObject({ error: 'invalid_grant', description: 'refresh token already used' })
    expect(op.events).toContainEqual({ type: 'grant.revoked', grantId: reused?.grantId })
    expect(op.events).toContainEqual(
      expect.objectContaining({ type: 'refresh_token.consumed', grantId: reused?.grantId }),
    )
  })

  it('failNext answers 503 JSON without reaching the provider, then the provider answers', async () => {
    const { body } = await codeFlow('erin')
    const counts = { ...op.counts }
    op.failNext({ endpoint: 'token', status: 503 })
    const failed = await token({ grant_type: 'refresh_token', refresh_token: String(body.refresh_token) })
    expect(failed).toMatchObject({ status: 503, body: { error: 'temporarily_unavailable' } })
    const next = await token({ grant_type: 'refresh_token', refresh_token: String(body.refresh_token) })
    expect(next.status).toBe(200)
    expect(op.counts).toEqual({ ...counts, refreshToken: counts.refreshToken + 1, injected: counts.injected + 1 })
  })

  it('revokes tokens at the revocation endpoint (introspection and userinfo agree)', async () => {
    const { body } = await codeFlow('frank')
    const post = (endpoint: unknown, form: Record<string, string>) =>
      fetch(String(endpoint), {
        method: 'POST',
        headers: { authorization: BASIC, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(form),
      })
    const introspect = async (value: unknown) =>
      (await (await post(config.introspection_endpoint, { token: String(value) })).json()).active
    expect(await introspect(body.access_token)).toBe(true)
    const before = op.counts.revocation
    expect((await post(config.revocation_endpoint, { token: String(body.access_token) })).status).toBe(200)
    expect(await introspect(body.access_token)).toBe(false)
    const userinfo = await fetch(String(config.userinfo_endpoint), {
      headers: { authorization: `Bearer ${body.access_token}` },
    })
    expect(userinfo.status).toBe(401)
    expect(
      (await post(config.revocation_endpoint, { token: String(body.refresh_token), token_type_hint: 'refresh_token' }))
        .status,
    ).toBe(200)
    const refresh = await token({ grant_type: 'refresh_token', refresh_token: String(body.refresh_token) })
    expect(refresh).toMatchObject({ status: 400, body: { error: 'invalid_grant' } })
    expect(op.counts.revocation).toBe(before + 2)
  })

  it('sends a back-channel logout token for an account and session to the registered client', async () => {
    const { body } = await codeFlow('grace')
    const { sid } = await verifiedClaims(String(body.id_token))
    const results = await op.backchannelLogout({ sub: 'grace', sid: String(sid) })
    expect(results).toEqual([{ clientId: 'baton-test', uri: expect.stringMatching(/\/backchannel$/), ok: true }])
    const claims = await verifiedClaims(logoutTokens.at(-1) ?? '')
    expect(claims).toMatchObject({ iss: op.issuer, aud: 'baton-test', sub: 'grace', sid })
    expect(claims.events).toEqual({ 'http://schemas.openid.net/event/backchannel-logout': {} })
    expect(op.events).toContainEqual({ type: 'backchannel.success', clientId: 'baton-test', sub: 'grace', sid })
  })

  it('RP-initiated logout: confirms, redirects with state, sends a back-channel logout; offline grants persist', async () => {
    const jar = new CookieJar()
    const { body } = await codeFlow('heidi', {}, jar)
    const { sid } = await verifiedClaims(String(body.id_token))
    const end = new URL(String(config.end_session_endpoint))
    end.search = new URLSearchParams({
      id_token_hint: String(body.id_token),
      post_logout_redirect_uri: POST_LOGOUT_URI,
      state: 'bye',
    }).toString()
    const sent = logoutTokens.length
    const back = await signOutAtProvider(end.href, { jar })
    expect(back.href).toBe(`${POST_LOGOUT_URI}?state=bye`)
    expect(logoutTokens).toHaveLength(sent + 1)
    expect(await verifiedClaims(logoutTokens.at(-1) ?? '')).toMatchObject({ sub: 'heidi', sid })
    expect(op.events).toContainEqual({ type: 'backchannel.success', clientId: 'baton-test', sub: 'heidi', sid })
    // offline_access grants outlive the provider session: the refresh token still works
    const refresh = await token({ grant_type: 'refresh_token', refresh_token: String(body.refresh_token) })
    expect(refresh.status).toBe(200)
  })

  it('signInAtProvider throws with the page text on an error page', async () => {
    const url = new URL(authorizationRequest().url)
    url.searchParams.set('redirect_uri', 'http://127.0.0.1:4000/not-registered')
    await expect(signInAtProvider(url.href)).rejects.toThrow(/answered 400: .*redirect_uri/)
  })

  it('takes clients in full (a public client here) and close() frees the port', async () => {
    const other = await startOidcProvider({
      clients: [{ client_id: 'spa', token_endpoint_auth_method: 'none', redirect_uris: [REDIRECT_URI] }],
    })
    const endpoints = await (await fetch(`${other.issuer}/.well-known/openid-configuration`)).json()
    const verifier = b64url(randomBytes(32))
    const url = new URL(endpoints.authorization_endpoint)
    url.search = new URLSearchParams({
      client_id: 'spa',
      redirect_uri: REDIRECT_URI,
      response_type: 'code',
      scope: 'openid offline_access',
      prompt: 'consent',
      code_challenge: b64url(createHash('sha256').update(verifier).digest()),
      code_challenge_method: 'S256',
    }).toString()
    const callback = await signInAtProvider(url.href, { login: 'ivan' })
    expect(callback.searchParams.get('iss')).toBe(other.issuer)
    const answer = await fetch(endpoints.token_endpoint, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        client_id: 'spa',
        code: callback.searchParams.get('code') ?? '',
        redirect_uri: REDIRECT_URI,
        code_verifier: verifier,
      }),
    })
    expect(answer.status).toBe(200)
    expect(await answer.json()).toMatchObject({ refresh_token: expect.any(String), id_token: expect.any(String) })
    expect(other.counts.authorizationCode).toBe(1)
    await other.close()
    const server = createNetServer()
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(other.port, '127.0.0.1', resolve))
    await new Promise((resolve) => server.close(resolve))
  })
})
