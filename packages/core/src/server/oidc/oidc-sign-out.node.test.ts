import { describe, expect, it } from 'vitest'
import { authRequest, ORIGIN, op, server, signedIn, useOidcProvider } from './oidc.fixture.js'

useOidcProvider()

describe('OpenID Connect sign-out', () => {
  it('POST /logout ends the session and revokes the provider refresh token (RFC 7009)', async () => {
    const auth = server()
    const { cookie } = await signedIn(auth)
    const before = op.counts.revocation
    const res = await auth.handle(authRequest('/logout', { method: 'POST', cookie }))
    expect(res.status).toBe(200)
    expect(op.counts.revocation - before).toBe(1)
  })

  it('POST /signout/oidc answers 303 to end_session_endpoint with id_token_hint and the post-logout page', async () => {
    const auth = server()
    const { cookie } = await signedIn(auth)
    const res = await auth.handle(authRequest('/signout/oidc', { method: 'POST', cookie }))
    expect(res.status).toBe(303)
    const to = new URL(res.headers.get('location') as string)
    expect(to.href.startsWith(`${op.issuer}/`)).toBe(true)
    expect(to.searchParams.get('post_logout_redirect_uri')).toBe(`${ORIGIN}/login`)
    expect(to.searchParams.get('id_token_hint')?.split('.')).toHaveLength(3)
    expect(res.headers.getSetCookie().filter((c) => c.includes('Max-Age=0')).length).toBeGreaterThanOrEqual(2)
    expect(await auth.session({ request: authRequest('/session', { cookie }), strict: true })).toBeNull()
  })

  it('refuses a cross-site POST /signout/oidc', async () => {
    const auth = server()
    const res = await auth.handle(
      authRequest('/signout/oidc', { method: 'POST', headers: { origin: 'https://evil.example' } }),
    )
    expect(res.status).toBe(403)
  })
})
