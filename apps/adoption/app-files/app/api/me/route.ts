// A protected API route, as @baton/next's README shows it: 401 without a valid access token.
import { baton } from '@/lib/baton'

export const GET = baton.withAuth(async (_request, { auth }) => Response.json({ user: auth.user }))
