import { createEdgeProxy } from '@baton/next/edge'
import { batonConfig } from './lib/baton-config'

const proxy = createEdgeProxy(batonConfig)
/** The same proxy reporting what it did (off by default in this production build): for `?devtools`. */
const reporting = createEdgeProxy({ ...batonConfig, devtools: true })

/** The request as the proxy types it (@baton/next's NextRequest, from Next 16): Next 15's has the same shape. */
type ProxyRequest = Parameters<typeof proxy>[0]

/** Next 15 middleware on the Edge runtime (the default): verifies with jose, refreshes through the route. */
export function middleware(request: ProxyRequest): Promise<Response> {
  return request.nextUrl.searchParams.has('devtools') ? reporting(request) : proxy(request)
}

export const config = {
  matcher: ['/dashboard/:path*', '/api/me'],
}
