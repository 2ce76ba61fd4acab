import { type NextRequest, NextResponse } from 'next/server'
import { baton } from './lib/baton'

/**
 * `/dashboard` goes through Baton's proxy; `/plain` (the same page) through
 * a proxy that does nothing, so the two differ only in the proxy's work.
 */
export function proxy(request: NextRequest): Response | Promise<Response> {
  if (request.nextUrl.pathname.startsWith('/plain')) return NextResponse.next()
  return baton.proxy(request)
}

export const config = {
  matcher: ['/dashboard/:path*', '/plain/:path*'],
}
