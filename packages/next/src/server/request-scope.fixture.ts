import { ResponseCookies } from 'next/dist/server/web/spec-extension/cookies.js'

/**
 * A stand-in for Next's request scope, for `vi.mock('next/headers')`: the
 * incoming headers, and a cookie jar that writes `Set-Cookie` lines the way a
 * server action's `cookies()` does (Next's own ResponseCookies).
 */
export const scope = {
  headers: new Headers(),
  responseHeaders: new Headers(),
  jar: new ResponseCookies(new Headers()),
  /** What `io()` of `next/cache` does: resolves, as during a request; a test may watch it. */
  io: async (): Promise<void> => {},
}

/** Starts a new request with these incoming headers. */
export function enterRequest(headers: Record<string, string> = {}): void {
  scope.headers = new Headers(headers)
  scope.responseHeaders = new Headers()
  scope.jar = new ResponseCookies(scope.responseHeaders)
  scope.io = async () => {}
}

/** The module `next/headers` as the helpers see it in tests. */
export const nextHeaders = {
  headers: async () => scope.headers,
  cookies: async () => scope.jar,
}

/** The module `next/cache` as the helpers see it in tests. */
export const nextCache = {
  io: () => scope.io(),
}

/** What `redirect()` throws in tests (the real one throws NEXT_REDIRECT). */
export class Redirect extends Error {
  constructor(readonly url: string) {
    super(`redirect to ${url}`)
  }
}

/** The module `next/navigation` with a `redirect` that records its target. */
export const nextNavigation = {
  redirect: (url: string): never => {
    throw new Redirect(url)
  },
}

/** The `Set-Cookie` lines the request has produced so far, by cookie name. */
export function responseCookies(): Record<string, string> {
  const lines: Record<string, string> = {}
  for (const line of scope.responseHeaders.getSetCookie()) lines[line.slice(0, line.indexOf('='))] = line
  return lines
}
