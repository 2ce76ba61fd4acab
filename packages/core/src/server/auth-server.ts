import type { SessionEngine, SessionInfo } from '../index.js'
import type { CookieNames } from './cookies/cookie-settings.js'
import type { CookieInstruction } from './cookies/set-cookie.js'
import type { TokenSource } from './http/request-auth.js'
import type { BatonSession, IssuedTokens, SessionPayload } from './operations/results.js'
import type { ResolvedBatonOptions } from './options.js'
import type { BatonUpstream } from './upstream/create-upstream.js'

/** What a sign-in page needs to know about OpenID Connect. */
export interface OidcInfo {
  readonly enabled: boolean
  /** Each provider's name (its routes: `/signin/{name}`…), button label and issuer, in the order configured. */
  readonly providers: readonly { readonly name: string; readonly label: string; readonly issuer: string }[]
}

/**
 * Baton's server: the operations and the `/api/auth/*` router, over Web
 * `Request`s, with no framework in sight. Every operation returns its data
 * and the cookies the answer must carry; on failure it throws a `BatonError`
 * (`cookiesAfter(error)` says which cookies that answer carries).
 */
export interface AuthServer {
  /** The session engine (tokens, rotation, the store). */
  readonly engine: SessionEngine
  /** The options after defaults and validation. */
  readonly options: ResolvedBatonOptions
  /** The access and refresh cookies' names. */
  readonly cookieNames: CookieNames
  /**
   * The third-party API on behalf of a signed-in user: upstream mode's, or with
   * `oidc` the OpenID provider's (`enabled: false` with neither).
   */
  readonly upstream: BatonUpstream
  /** OpenID Connect's providers, for a sign-in page's buttons (`enabled: false` without `oidc`). */
  readonly oidc: OidcInfo
  /**
   * The router for everything under `basePath` (`POST /login`, `/refresh`,
   * `/logout`, `GET /session`, `/sessions`, `/jwks`, `DELETE /sessions/:id`):
   * CSRF checks, body limits, CORS, and a JSON error with a code for anything
   * a client can cause — never a 500.
   */
  handle(request: Request): Promise<Response>
  /**
   * Checks credentials (a flat object of at most 16 strings; rate-limited) and starts a session.
   * No CSRF check: that is the transport's job (the router's, or Next's for a server action).
   */
  signIn(input: { request: Request; credentials: Record<string, unknown> }): Promise<IssuedTokens>
  /** Rotates the request's refresh cookie (or `refreshToken`). */
  refresh(input: { request: Request; refreshToken?: string }): Promise<IssuedTokens>
  /** Ends the request's session, or with `everywhere` all of its user's; always deletes the cookies. */
  signOut(input: {
    request: Request
    everywhere?: boolean
    refreshToken?: string
  }): Promise<{ revoked: number; cookies: CookieInstruction[] }>
  /** The request's session, or null when signed out; `strict` also checks the store (revocation). */
  session(input: { request: { headers: Headers }; strict?: boolean }): Promise<BatonSession | null>
  /**
   * The request's verified session (Bearer header first, else the access cookie), or a 401
   * `BatonError` saying why: `ERR_UNAUTHENTICATED`, `ERR_ACCESS_TOKEN_EXPIRED`,
   * `ERR_ACCESS_TOKEN_INVALID`, with `strict` `ERR_SESSION_REVOKED` / `ERR_SESSION_EXPIRED`.
   */
  verifyRequest(input: {
    request: { headers: Headers }
    strict?: boolean
  }): Promise<BatonSession & { source: TokenSource }>
  /** What `GET /session` answers: the user, the session checked in the store, the access token. */
  sessionPayload(input: { request: Request }): Promise<SessionPayload>
  /** The request's user's live sessions, the current one marked. */
  listSessions(input: { request: Request }): Promise<SessionInfo[]>
  /** Revokes one of the request's user's sessions; the current one also deletes the cookies. */
  revokeSession(input: {
    request: Request
    sessionId: string
  }): Promise<{ current: boolean; cookies: CookieInstruction[] }>
  /** Re-issues the request's access token with fresh `claims`; null when signed out. */
  updateSession(input: {
    request: { headers: Headers }
  }): Promise<{ session: BatonSession | null; cookies: CookieInstruction[] }>
  /** The public signing keys (`ERR_NOT_FOUND` when access tokens are HS256). */
  jwks(): Promise<{ keys: readonly object[] }>
  /** The cookies the answer to a failed operation carries: deletions when the session is over, else none. */
  cookiesAfter(error: unknown): CookieInstruction[]
}
