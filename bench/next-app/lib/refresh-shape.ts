/**
 * What `POST /api/auth/refresh` answers, without Baton's work: the same
 * security headers, a JSON body of the same shape and size and two
 * `Set-Cookie` values like Baton's (an access token of ~390 characters, a refresh
 * token). Used by `src/cost.ts` to tell Next's cost of a route shaped like
 * refresh from Baton's.
 */
const ACCESS_TOKEN = 'a'.repeat(390)
const REFRESH_TOKEN = `brt_${'r'.repeat(43)}`

export function refreshShapedAnswer(request: Request): Response {
  void request.headers.get('cookie')
  const now = Date.now()
  const headers = new Headers({
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    pragma: 'no-cache',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  })
  const attributes = 'Path=/; HttpOnly; SameSite=Lax'
  const expires = new Date(now + 900_000).toUTCString()
  headers.append('set-cookie', `baton.at=${ACCESS_TOKEN}; Max-Age=900; Expires=${expires}; ${attributes}`)
  headers.append('set-cookie', `baton.rt=${REFRESH_TOKEN}; Max-Age=604800; Expires=${expires}; ${attributes}`)
  const body = {
    user: { id: 'user-1', email: 'user1@example.com', name: 'Bench User' },
    accessToken: ACCESS_TOKEN,
    accessTokenExpiresAt: now + 900_000,
    session: {
      id: 'abcdefghijklmnopqrstuv',
      createdAt: now,
      lastUsedAt: now,
      expiresAt: now + 604_800_000,
      absoluteExpiresAt: now + 2_592_000_000,
      userAgent: 'autocannon/8.0.0',
      ip: '127.0.0.1',
      deviceId: null,
      current: true,
    },
  }
  return new Response(JSON.stringify(body), { status: 200, headers })
}
