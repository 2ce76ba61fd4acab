import { baton } from './lib/baton'

/** Refreshes in the same request on protected paths; redirects to /login when it cannot. */
export const proxy = baton.proxy

export const config = {
  matcher: ['/dashboard/:path*', '/devices/:path*', '/api/me', '/api/whoami'],
}
