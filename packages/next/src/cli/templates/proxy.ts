/** `proxy.ts` (Next 16): refresh in the same request on protected paths, redirect to sign-in otherwise. */
export function proxyFile({ libImport }: { libImport: string }): string {
  return `import { baton } from '${libImport}'

/** Refreshes in the same request on protected paths; sends signed-out visitors to /login?next=… */
export const proxy = baton.proxy

// The proxy runs only where this matches: keep it in step with paths.protected in lib/baton.ts.
export const config = { matcher: ['/dashboard/:path*'] }
`
}
