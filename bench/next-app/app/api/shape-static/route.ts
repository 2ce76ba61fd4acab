import { refreshShapedAnswer } from '../../../lib/refresh-shape'

export const dynamic = 'force-dynamic'

/** `pnpm --filter bench run cost`: a static POST route answering like refresh (JSON body, two Set-Cookie), no Baton. */
export function POST(request: Request): Response {
  return refreshShapedAnswer(request)
}
