import { type AuthRequest, authRequest } from '../client/auth-request.js'
import type { AuthTransport } from '../client/auth-types.js'
import { UnauthenticatedError } from '../errors/credential-errors.js'
import { BadRequestError } from '../errors/request-errors.js'
import { RefreshTokenMissingError } from '../errors/token-errors.js'
import type { TokenStorage } from './token-storage.js'

/** The header that asks `@baton/next` for the token transport (its value: `token`). */
export const TRANSPORT_HEADER = 'x-baton-transport'

/** Options of {@link tokenTransport}. */
export interface TokenTransportOptions {
  /** Keeps the refresh token between runs. */
  tokenStorage: TokenStorage
  /** The key it is kept under. */
  storageKey: string
}

/** The token transport, and the access token it holds (for the app's own requests). */
export interface TokenTransport extends AuthTransport {
  /** The access token of the last answer that carried one, or null after a sign-out or a refusal. */
  accessToken(): string | null
}

/** An answer of `/login` or `/refresh` in the token transport. */
interface TokenAnswer {
  accessToken?: string
  refreshToken?: unknown
}

/**
 * The session client's transport for apps without cookies (native apps,
 * CLIs): every request says `X-Baton-Transport: token` and sends no cookies
 * (`credentials: 'omit'`); `/refresh` and `/logout` carry the refresh token
 * in the JSON body, `/session` and `/logout` the access token as
 * `Authorization: Bearer`. A rotated refresh token is saved to storage
 * before the answer reaches the client, so the new access token is never
 * used while storage still holds the spent one. The token is read from
 * storage at every refresh (so a restart resumes), and forgotten on sign-out
 * and on a 401 from `/refresh` — never on an outage.
 */
export function tokenTransport({ tokenStorage, storageKey }: TokenTransportOptions): TokenTransport {
  let access: string | null = null
  const stored = async () => (await tokenStorage.get(storageKey)) || null
  const forget = async () => {
    access = null
    await tokenStorage.delete(storageKey)
  }

  return {
    accessToken: () => access,
    request(base, getFetch, now): AuthRequest {
      return async (path, init = {}) => {
        const bearer = path === '/session' || path === '/logout' ? access : null
        let body = init.body
        if (path === '/session' && !access) {
          // Nothing to show without an access token: the client refreshes next (or stops: nothing stored).
          throw (await stored()) ? new UnauthenticatedError() : new RefreshTokenMissingError('No session: sign in.')
        }
        if (path === '/refresh' || path === '/logout') {
          const refreshToken = await stored()
          if (!refreshToken && path === '/refresh') throw new RefreshTokenMissingError('No session: sign in.')
          body = JSON.stringify({
            ...JSON.parse(typeof body === 'string' ? body : '{}'),
            ...(refreshToken && { refreshToken }),
          })
        }
        const send: typeof fetch = (url, request) =>
          getFetch()(url, {
            ...request,
            credentials: 'omit',
            headers: {
              ...(request?.headers as Record<string, string>),
              [TRANSPORT_HEADER]: 'token',
              ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
            },
          })
        try {
          const answer = await authRequest(base, () => send, now)(path, { ...init, body })
          const tokens = answer as TokenAnswer
          if (path === '/login' || path === '/refresh') {
            if (typeof tokens.refreshToken !== 'string' || !tokens.refreshToken) {
              throw new BadRequestError(
                `POST ${base}${path} answered without a refreshToken: is the token transport enabled for this app on the server?`,
                { status: 400 },
              )
            }
            // Saved before the client sees (and uses) the new access token.
            await tokenStorage.set(storageKey, tokens.refreshToken)
          }
          if (tokens.accessToken) access = tokens.accessToken
          return answer
        } catch (error) {
          // A refusal of the refresh token itself ends it; an outage (no answer, 5xx) keeps it.
          if (path === '/refresh' && (error as { status?: number }).status === 401) await forget()
          throw error
        } finally {
          if (path === '/logout') await forget()
        }
      }
    },
  }
}
