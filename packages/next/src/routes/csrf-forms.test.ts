/**
 * What another site can make a signed-in browser send, against every
 * state-changing route at once: a plain HTML `<form>` (urlencoded, multipart,
 * `enctype="text/plain"` smuggling a JSON body), a `fetch(…, { mode:
 * 'no-cors' })`, a form in a sandboxed iframe (`Origin: null`), a sibling
 * subdomain (`same-site`), and a cross-site redirect to a same-origin URL.
 * The browser attaches the victim's SameSite=Lax cookies only on top-level
 * navigations, but assume the worst: every request here carries them. Each
 * one must be 403 ERR_CSRF, set no cookie, and leave the session exactly as
 * it was (not rotated, not revoked, no new session).
 */
import { describe, expect, it } from 'vitest'
import { ORIGIN } from '../test-app.fixture.js'
import {
  cookieHeader,
  expectError,
  freshUser,
  quickBaton,
  routeBackends,
  signIn,
  useBackend,
} from './routes.fixture.js'

const EVIL = 'https://evil.test'

/** Headers a browser sets itself, per attack; the page cannot change them. */
const ATTACKS: [string, Record<string, string>][] = [
  ['a cross-site form post', { origin: EVIL, 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'navigate' }],
  ['a no-cors fetch from another site', { origin: EVIL, 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'no-cors' }],
  ['a form in a sandboxed iframe', { origin: 'null', 'sec-fetch-site': 'cross-site' }],
  ['a sibling subdomain', { origin: 'https://sub.app.test', 'sec-fetch-site': 'same-site' }],
  ['a 307 from another site back to this one', { origin: 'null', 'sec-fetch-site': 'cross-site' }],
  ['an old browser without Fetch metadata', { origin: EVIL }],
]

/** Bodies a page can send without a CORS preflight. */
const BODIES: [string, string, string][] = [
  ['urlencoded', 'application/x-www-form-urlencoded', 'email=mallory%40evil.test&password=x&everywhere=true'],
  [
    'multipart',
    'multipart/form-data; boundary=b',
    '--b\r\nContent-Disposition: form-data; name="everywhere"\r\n\r\ntrue\r\n--b--',
  ],
  ['text/plain carrying JSON', 'text/plain', '{"email":"mallory@evil.test","password":"x","everywhere":true,"":"="}'],
  ['no body', '', ''],
]

const ROUTES: [string, string][] = [
  ['POST', '/api/auth/login'],
  ['POST', '/api/auth/refresh'],
  ['POST', '/api/auth/logout'],
  ['DELETE', '/api/auth/sessions/$SID'],
]

for (const backend of routeBackends) {
  describe(`cross-site forms against every state-changing route on ${backend.name}`, () => {
    const store = useBackend(backend)

    it.each(ATTACKS)('%s: refused on every route, with every body, and nothing changes', async (_, attack) => {
      const { baton } = await quickBaton(store())
      const { email } = await freshUser()
      // The attacker's own account exists too: a login CSRF would sign the victim into it.
      const mallory = await freshUser('mallory')
      const victim = await signIn(baton, email)
      const sessionId = victim.body.session.id
      const before = await baton.engine.store.getSession(sessionId)

      for (const [method, path] of ROUTES) {
        for (const [, type, body] of BODIES) {
          const headers = new Headers(attack)
          if (type) headers.set('content-type', type)
          headers.set(
            'cookie',
            cookieHeader({
              [baton.cookieNames.access]: victim.jar.access,
              [baton.cookieNames.refresh]: victim.jar.refresh,
            }),
          )
          const payload = body.replace('mallory@evil.test', mallory.email)
          const response = await baton.handlers[method as 'POST'](
            new Request(new URL(path.replace('$SID', sessionId), ORIGIN), {
              method,
              headers,
              body: payload || undefined,
            }),
          )
          await expectError(response, 403, 'ERR_CSRF')
          expect(response.headers.getSetCookie(), `${method} ${path} ${type}`).toEqual([])
        }
      }

      expect(await baton.engine.store.getSession(sessionId)).toEqual(before)
      expect((await baton.engine.listSessions({ subject: `user-${email}` })).map((s) => s.id)).toEqual([sessionId])
      expect(await baton.engine.listSessions({ subject: `user-${mallory.email}` })).toEqual([])
    })

    it('the same forms sent same-origin are still refused unless the body is JSON (415), and login never reads them', async () => {
      const { baton } = await quickBaton(store())
      const { email } = await freshUser()
      for (const [, type, body] of BODIES.filter(([, t]) => t !== '')) {
        for (const path of ['/api/auth/login', '/api/auth/logout']) {
          const response = await baton.handlers.POST(
            new Request(new URL(path, ORIGIN), {
              method: 'POST',
              headers: { origin: ORIGIN, 'content-type': type },
              body: body.replace('mallory@evil.test', email),
            }),
          )
          await expectError(response, 415, 'ERR_UNSUPPORTED_MEDIA_TYPE')
        }
      }
      expect(await baton.engine.listSessions({ subject: `user-${email}` })).toEqual([])
    })
  })
}
