import type { AuthError } from './auth-types.js'

/**
 * Says in the console, once per refusal, which request the server refused
 * for good, with its status and code, and what to fix. The client does not
 * retry it; a later `signIn()` or `refresh()` may try again.
 */
export function reportRefusal(request: string, { status, code, message }: AuthError): void {
  console.error(
    `[baton] ${request} refused: ${status} ${code} (${message}). Not retrying. ${
      code === 'ERR_CSRF'
        ? "Origin does not match the server's host (a dev proxy with changeOrigin: true?): turn that off, or list the origin in @baton/next's allowedOrigins."
        : "Check basePath (@baton/next's routes mounted there?) and any proxy in front."
    }`,
  )
}
