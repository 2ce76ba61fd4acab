// A protected API route, as @baton/next's README shows it: 401 without a valid access token.
// baton.cors adds the CORS headers for the origins in createBaton's `cors` (the SPA); OPTIONS
// answers its preflight. Without `cors` both add nothing.
import { baton } from '@/lib/baton'

export const GET = baton.cors(baton.withAuth(async (_request, { auth }) => Response.json({ user: auth.user })))
export const OPTIONS = baton.preflight
