export const dynamic = 'force-dynamic'

/** refresh-http's baseline: a dynamic route that does no auth. */
export function GET(): Response {
  return Response.json({ ok: true, at: Date.now() })
}
