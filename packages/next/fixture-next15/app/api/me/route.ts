import { baton } from '../../../lib/baton'

export const GET = baton.withAuth((_request, { auth }) => Response.json({ subject: auth.subject }))
