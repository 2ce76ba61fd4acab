import { InvalidCredentialsError, type JsonObject } from '../../index.js'
import type { CookieInstruction } from '../cookies/set-cookie.js'
import { assertSameOrigin, readJsonBody } from '../http/request-guard.js'
import { json } from '../http/responses.js'
import { checkUser, parseCredentials } from '../operations/sign-in.js'
import { stateFrom } from '../upstream/token-state.js'
import { asUpstreamError } from '../upstream/upstream-errors.js'
import { withDeadline } from '../upstream/with-deadline.js'
import { clearedCookie, cookieFor, readCookieSession, type StorelessContext } from './storeless-session.js'

// The storeless variant's password routes: the upstream checks the credentials, its pair goes into the sealed cookie.

/** `POST {basePath}/login`: JSON credentials to the upstream; its pair and user sealed in the cookie. */
export async function storelessLogin(ctx: StorelessContext, request: Request): Promise<Response> {
  const { upstream } = ctx
  assertSameOrigin(request, ctx.guard)
  const credentials = parseCredentials(await readJsonBody(request, ctx.guard))
  let result: Awaited<ReturnType<typeof upstream.protocol.login>>
  try {
    const signal = AbortSignal.timeout(upstream.timeoutMs)
    result = await upstream.protocol.login({ url: upstream.url, fetch: upstream.fetch, signal, credentials, request })
  } catch (error) {
    throw asUpstreamError(error, 'login')
  }
  if (!result) throw new InvalidCredentialsError()
  const { user: upstreamUser, ...pair } = result
  const user = checkUser(upstream.toUser(upstreamUser)) as JsonObject
  let cookie: CookieInstruction
  try {
    cookie = await cookieFor(ctx, { user, tokens: stateFrom(pair, ctx.clock.now()) })
  } catch (error) {
    // No cookie, no session: do not leave the upstream's pair alive.
    const signal = AbortSignal.timeout(upstream.logoutTimeoutMs)
    await withDeadline(
      upstream.protocol.logout({ url: upstream.url, fetch: upstream.fetch, signal, ...pair }),
      upstream.logoutTimeoutMs,
    ).catch(() => undefined)
    throw error
  }
  return json({ user }, { cookies: [cookie] })
}

/** `POST {basePath}/logout`: the upstream is told (within its deadline); the cookie is cleared whatever it says. */
export async function storelessLogout(ctx: StorelessContext, request: Request): Promise<Response> {
  const { upstream } = ctx
  assertSameOrigin(request, ctx.guard)
  const session = await readCookieSession(ctx, request)
  if (session) {
    const { accessToken, refreshToken } = session.tokens
    const signal = AbortSignal.timeout(upstream.logoutTimeoutMs)
    await withDeadline(
      upstream.protocol.logout({
        url: upstream.url,
        fetch: upstream.fetch,
        signal,
        accessToken,
        refreshToken,
        ...(session.tokens.provider === undefined ? {} : { provider: session.tokens.provider }),
      }),
      upstream.logoutTimeoutMs,
    ).catch((error) => console.warn(`[baton] upstream logout failed (the cookie is cleared anyway): ${error}`))
  }
  return json({ ok: true }, { cookies: [clearedCookie(ctx)] })
}
