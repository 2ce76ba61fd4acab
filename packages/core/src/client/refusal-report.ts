import type { AuthError } from './auth-types.js'

/**
 * Says in the console, once per refusal, which request the server refused
 * for good, with its status and code, and what to fix. The client does not
 * retry it; a later `signIn()` or `refresh()` may try again.
 */
export function reportRefusal(request: string, { status, code, message }: AuthError): void {
  console.error(
    `[baton] ${request} refused: ${status} ${code} (${message}), not retried. ${
      code === 'ERR_CSRF' ? 'A dev proxy with changeOrigin: true? Add allowedOrigins.' : 'Check basePath.'
    }`,
  )
}
