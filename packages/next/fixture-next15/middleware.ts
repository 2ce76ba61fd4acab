import { createEdgeProxy } from '@baton/next/edge'
import type { NextRequest } from 'next/server'
import { batonConfig } from './lib/baton-config'

const proxy = createEdgeProxy(batonConfig)
/** The same proxy reporting what it did (off by default in this production build): for `?devtools`. */
const reporting = createEdgeProxy({ ...batonConfig, devtools: true })

/** Next 15 middleware on the Edge runtime (the default): verifies with jose, refreshes through the route. */
export function middleware(request: NextRequest): Promise<Response> {
  return request.nextUrl.searchParams.has('devtools') ? reporting(request) : proxy(request)
}

export const config = {
  matcher: ['/dashboard/:path*', '/api/me'],
}
