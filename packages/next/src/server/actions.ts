import { type BatonErrorCode, isBatonError, type JsonObject } from '@baton/core'
import type { AuthServer, CookieInstruction, Credentials } from '@baton/core/server'
import type { BatonActions, SignInResult } from '../baton-api.js'
import { redirect, requestCookies, requestHeaders } from './next-headers.js'
import { rethrowNextSignal } from './next-signals.js'

/** A relative path on this site, or null: `?next=` must never become an open redirect. */
export function safeReturnPath(value: unknown): string | null {
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\'))
    return null
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is refused
  if (/[\u0000-\u001f\\]/.test(value) || value.length > 2048) return null
  return value
}

async function requestFromHeaders(): Promise<Request> {
  const h = await requestHeaders()
  const host = h.get('host') ?? 'localhost'
  const proto = h.get('x-forwarded-proto') === 'https' ? 'https' : 'http'
  return new Request(`${proto}://${host}/`, { headers: h })
}

/** Hands the server layer's cookie instructions to Next's `cookies()` (server actions, route handlers). */
export async function setCookies(cookies: readonly CookieInstruction[]): Promise<void> {
  if (cookies.length === 0) return
  const jar = await requestCookies()
  for (const { name, value, maxAge, expires, ...attributes } of cookies) {
    jar.set(name, value, maxAge === 0 ? { ...attributes, maxAge: 0 } : { ...attributes, expires: new Date(expires) })
  }
}

function credentialsFrom(input: FormData | Credentials): Credentials {
  if (!(input instanceof FormData)) return input
  const credentials: Credentials = {}
  for (const [key, value] of input.entries()) {
    if (typeof value === 'string' && !key.startsWith('$ACTION') && key !== 'next') credentials[key] = value
  }
  return credentials
}

/**
 * Server-action helpers for forms that work without JavaScript. Call them
 * from your own `'use server'` functions; Next.js checks the action's Origin.
 *
 * ```ts
 * 'use server'
 * export async function signIn(_: unknown, form: FormData) {
 *   return baton.actions.signIn(form, { redirectTo: form.get('next') })
 * }
 * ```
 */
export function createActions(server: AuthServer): BatonActions {
  return {
    /** Signs in from form fields (or an object); redirects to `redirectTo` when it is a safe relative path. */
    async signIn(input: FormData | Credentials, options: { redirectTo?: unknown } = {}): Promise<SignInResult> {
      let user: JsonObject
      try {
        const request = await requestFromHeaders()
        const result = await server.signIn({ request, credentials: credentialsFrom(input) })
        await setCookies(result.cookies)
        user = result.user as JsonObject
      } catch (error) {
        // Say `authenticate` called redirect() or notFound(): Next's, not a failed sign-in.
        rethrowNextSignal(error)
        if (!isBatonError(error) || error.status >= 500) console.error('[baton] sign-in action failed', error)
        const code: BatonErrorCode = isBatonError(error) ? error.code : 'ERR_INTERNAL'
        const message =
          isBatonError(error) && error.status < 500 ? error.message : 'Sign-in is unavailable right now. Try again.'
        const retryAfter = isBatonError(error) && 'retryAfter' in error ? Number(error.retryAfter) : undefined
        return { ok: false, error: { code, message, ...(retryAfter ? { retryAfter } : {}) } }
      }
      const target = safeReturnPath(options.redirectTo)
      if (target) await redirect(target)
      return { ok: true, user }
    },

    /** Signs out this session (or, with `everywhere`, all of the user's) and clears the cookies. */
    async signOut(options: { everywhere?: boolean; redirectTo?: unknown } = {}): Promise<{ revoked: number }> {
      const { revoked, cookies } = await server.signOut({
        request: await requestFromHeaders(),
        everywhere: options.everywhere === true,
      })
      await setCookies(cookies)
      const target = safeReturnPath(options.redirectTo)
      if (target) await redirect(target)
      return { revoked }
    },
  }
}
