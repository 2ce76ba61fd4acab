import { RateLimitedError } from '../../index.js'
import { UpstreamUnavailableError } from './upstream-errors.js'
import type { UpstreamLoginResult, UpstreamProtocol, UpstreamTokenSet } from './upstream-protocol.js'

/** Statuses that mean "no" (bad credentials, rejected token), not "unavailable". */
const REFUSED = new Set([400, 401, 403])

async function postJson(
  call: { url: string; signal: AbortSignal; fetch: typeof fetch },
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  return call.fetch(`${call.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
    body: JSON.stringify(body),
    signal: call.signal,
    redirect: 'error',
  })
}

/** A token set from a 200 body, or a 502 for anything else (never trusts a half-valid answer). */
export async function readTokenSet(response: Response, what: string): Promise<UpstreamTokenSet & { user?: unknown }> {
  if (response.status !== 200) {
    await response.body?.cancel().catch(() => undefined)
    throw new UpstreamUnavailableError(`The upstream ${what} answered ${response.status}.`, { status: 502 })
  }
  let body: Record<string, unknown>
  try {
    body = (await response.json()) as Record<string, unknown>
  } catch (cause) {
    throw new UpstreamUnavailableError(`The upstream ${what} answered malformed JSON.`, { status: 502, cause })
  }
  const { accessToken, refreshToken, expiresIn } = body ?? {}
  if (
    typeof accessToken !== 'string' ||
    accessToken === '' ||
    typeof refreshToken !== 'string' ||
    refreshToken === '' ||
    typeof expiresIn !== 'number' ||
    !Number.isFinite(expiresIn) ||
    expiresIn <= 0
  ) {
    throw new UpstreamUnavailableError(`The upstream ${what} answer lacks accessToken, refreshToken or expiresIn.`, {
      status: 502,
    })
  }
  return { accessToken, refreshToken, expiresIn, user: body.user }
}

/** The protocol of issue 7: `/auth/login`, `/auth/refresh`, `/auth/logout` with JSON bodies. */
export const defaultProtocol: UpstreamProtocol = {
  async login({ credentials, ...call }) {
    const response = await postJson(call, '/auth/login', credentials)
    if (response.status === 429) {
      // The upstream's own brute-force limit: pass it on, with its Retry-After.
      await response.body?.cancel().catch(() => undefined)
      throw new RateLimitedError(Number(response.headers.get('retry-after')) || 60)
    }
    if (REFUSED.has(response.status)) {
      await response.body?.cancel().catch(() => undefined)
      return null
    }
    const { user, ...tokens } = await readTokenSet(response, 'login')
    return { ...tokens, user } satisfies UpstreamLoginResult
  },

  async refresh({ refreshToken, ...call }) {
    const response = await postJson(call, '/auth/refresh', { refreshToken })
    if (REFUSED.has(response.status)) {
      await response.body?.cancel().catch(() => undefined)
      return null
    }
    const { user: _, ...tokens } = await readTokenSet(response, 'refresh')
    return tokens
  },

  async logout({ refreshToken, accessToken, ...call }) {
    const response = await postJson(call, '/auth/logout', { refreshToken }, { authorization: `Bearer ${accessToken}` })
    await response.body?.cancel().catch(() => undefined)
  },
}
