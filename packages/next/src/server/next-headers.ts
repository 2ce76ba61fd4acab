/**
 * `next/headers` and `next/navigation`, loaded on first use and without a
 * file extension:
 * - a static `next/headers` import would make every module that imports
 *   `@baton/next` "depend on next/headers", which Next.js refuses to compile
 *   into the Pages Router (and `baton.pages` lives on the same object);
 * - Next's bundler aliases these specifiers per route type (route handlers get
 *   vendored copies), which `next/navigation.js` would bypass and break;
 * - they only work inside Next's request scope anyway, so plain Node ESM (tests,
 *   scripts importing `@baton/next`) never needs to resolve them.
 * Found by the fixture app's real `next build` and the packed-tarball smoke test.
 */
function headersModule() {
  return import('next/headers')
}

/** A copy of the current request's headers (server components, route handlers, server actions). */
export async function requestHeaders(): Promise<Headers> {
  return new Headers(await (await headersModule()).headers())
}

/** The current request's cookie jar (writable in server actions and route handlers). */
export async function requestCookies() {
  return (await headersModule()).cookies()
}

/**
 * Call before reading the clock in a render. With Cache Components, a value
 * like `Date.now()` read while Next prerenders — at build, or for a prefetch
 * once request data has resolved (`partialPrefetching`) — is an error: "Next.js
 * encountered the unstable value Date.now() while prerendering". `io()` (Next
 * ≥ 16.3) stops a prerender here and resolves at once everywhere else: during
 * a request, inside `"use cache"` / `"use cache: private"` (where
 * `connection()` would throw), without Cache Components, outside Next. Older
 * Next only objects to the clock before request data is read: there, reading
 * `headers()` first is enough.
 */
export async function beforeClock(): Promise<void> {
  const { io } = (await import('next/cache')) as { io?: () => Promise<void> }
  if (typeof io === 'function') await io()
}

/** Next's `redirect()` (throws NEXT_REDIRECT; never returns). */
export async function redirect(url: string): Promise<never> {
  const { redirect: nextRedirect } = await import('next/navigation')
  return nextRedirect(url)
}
