import { baton } from '@/lib/baton'

/**
 * Protected, with the default stateless check (no store read per request; `/api/me` is strict).
 * A session revoked anywhere — "sign out everywhere", a device removed on /devices — is refused
 * here at once all the same: the revocation feed in lib/baton.ts tells every instance.
 */
export const GET = baton.withAuth(async (_request, { auth }) =>
  Response.json(
    { user: auth.user, sessionId: auth.sessionId, expiresAt: auth.expiresAt, check: 'stateless' },
    { headers: { 'Cache-Control': 'no-store' } },
  ),
)
