import { baton } from '../../../lib/baton'

export const dynamic = 'force-dynamic'

/** `revocation-propagation`: the default stateless check (no store read per request). */
export const GET = baton.withAuth(async (_request, { auth }) => Response.json({ sessionId: auth.sessionId }))
