/**
 * `next/headers`, loaded on first use. A static import would make every
 * module that imports `@baton/next` "depend on next/headers", which Next.js
 * refuses to compile into the Pages Router (`pages/api/*` routes and
 * `getServerSideProps` pages: "You're importing a module that depends on
 * next/headers") — and `baton.pages` lives on the same object. Found by the
 * fixture app's real `next build`.
 */
function load() {
  return import('next/headers.js')
}

/** A copy of the current request's headers (server components, route handlers, server actions). */
export async function requestHeaders(): Promise<Headers> {
  return new Headers(await (await load()).headers())
}

/** The current request's cookie jar (writable in server actions and route handlers). */
export async function requestCookies() {
  return (await load()).cookies()
}
