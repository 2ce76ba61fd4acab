import { createEdgeProxy } from '@baton/next/edge'
import { batonConfig } from './lib/baton-config'

/** Next 15 middleware on the Edge runtime (the default): verifies with jose, refreshes through the route. */
export const middleware = createEdgeProxy(batonConfig)

export const config = {
  matcher: ['/dashboard/:path*', '/api/me'],
}
