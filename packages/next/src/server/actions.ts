import { type BatonErrorCode, type IssuedSession, isBatonError, type JsonObject } from '@baton/core'
import type { BatonContext } from '../context.js'
import type { Credentials } from '../options.js'
import { parseCredentials, signInWithCredentials } from '../routes/login.js'
import { signOutRequest } from '../routes/logout.js'
import { redirect, requestCookies, requestHeaders } from './next-headers.js'
import { rethrowNextSignal } from './next-signals.js'

/** What a sign-in action returns when it does not redirect. */
export type SignInResult =
  | { ok: true; user: JsonObject }
  | { ok: false; error: { code: BatonErrorCode; message: string; retryAfter?: number } }

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
export function createActions(ctx: BatonContext) {
  const { secure, sameSite } = ctx.options.cookies
  const attributes = { httpOnly: true, secure, sameSite, path: '/' } as const

  async function setSessionCookies(issued: IssuedSession): Promise<void> {
    const jar = await requestCookies()
    jar.set(ctx.names.access, issued.accessToken, { ...attributes, expires: new Date(issued.accessTokenExpiresAt) })
    jar.set(ctx.names.refresh, issued.refreshToken, { ...attributes, expires: new Date(issued.refreshTokenExpiresAt) })
  }

  async function clearSessionCookies(): Promise<void> {
    const jar = await requestCookies()
    for (const name of [ctx.names.access, ctx.names.refresh]) jar.set(name, '', { ...attributes, maxAge: 0 })
  }

  return {
    /** Signs in from form fields (or an object); redirects to `redirectTo` when it is a safe relative path. */
    async signIn(input: FormData | Credentials, options: { redirectTo?: unknown } = {}): Promise<SignInResult> {
      let user: JsonObject
      try {
        const request = await requestFromHeaders()
        const result = await signInWithCredentials(ctx, request, parseCredentials(credentialsFrom(input)))
        await setSessionCookies(result.issued)
        user = result.user
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
      const revoked = await signOutRequest(ctx, await requestFromHeaders(), options.everywhere === true)
      await clearSessionCookies()
      const target = safeReturnPath(options.redirectTo)
      if (target) await redirect(target)
      return { revoked }
    },
  }
}
