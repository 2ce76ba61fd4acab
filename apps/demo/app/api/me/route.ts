import { baton } from '@/lib/baton'

/**
 * Protected: the access cookie or `Authorization: Bearer`. Strict, so a
 * revoked device is refused at once rather than when its token expires.
 */
export const GET = baton.withAuth(
  (_request, { auth }) =>
    Response.json(
      { user: auth.user, sessionId: auth.sessionId, expiresAt: auth.expiresAt, at: Date.now() },
      { headers: { 'Cache-Control': 'no-store' } },
    ),
  { strict: true },
)
