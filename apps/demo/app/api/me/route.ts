import { createUpstreamClient } from '@baton/next/axios'
import { baton, env } from '@/lib/baton'
import { fetchUserinfo, UserinfoError } from '@/lib/userinfo'

const noStore = { headers: { 'Cache-Control': 'no-store' } }

/**
 * Protected: the access cookie or `Authorization: Bearer`. Strict, so a
 * revoked device is refused at once rather than when its token expires. In
 * upstream mode it answers with the upstream's own `GET /me`, called with the
 * session's upstream token (refreshed once, whatever the concurrency). In
 * OIDC mode it answers with the provider's userinfo, as the provider sent it.
 * With BATON_CORS_ORIGINS, a listed SPA origin may call it (401s included).
 */
export const GET = baton.cors(
  baton.withAuth(
    async (_request, { auth }) => {
      const base = { sessionId: auth.sessionId, expiresAt: auth.expiresAt, at: Date.now() }
      if (env.oidc) {
        try {
          return Response.json(await fetchUserinfo(auth), noStore)
        } catch (error) {
          // Baton's own errors (provider session ended, provider down) are withAuth's to answer.
          if (!(error instanceof UserinfoError)) throw error
          const body = { error: { code: 'ERR_USERINFO', message: error.message } }
          return Response.json(body, { status: 502, ...noStore })
        }
      }
      if (!baton.upstream.enabled) return Response.json({ ...base, user: auth.user }, noStore)
      // Upstream failures are BatonErrors: withAuth answers 503/502 (session kept) or 401 (session ended).
      const { data } = await createUpstreamClient(baton, auth).get<{ user: unknown }>('/me')
      return Response.json({ ...base, user: data.user, source: 'upstream' }, noStore)
    },
    { strict: true },
  ),
)

/** CORS preflight for a SPA listed in BATON_CORS_ORIGINS (`baton.cors` above adds the headers). */
export const OPTIONS = baton.preflight
