import { refreshShapedAnswer } from '../../../../lib/refresh-shape'

export const dynamic = 'force-dynamic'

/** `pnpm --filter bench run cost`: a catch-all route like `/api/auth/[...baton]`, no Baton: GET as /api/plain… */
export function GET(): Response {
  return Response.json({ ok: true, at: Date.now() })
}

/** …and POST answering like refresh. */
export function POST(request: Request): Response {
  return refreshShapedAnswer(request)
}
