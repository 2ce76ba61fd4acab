/**
 * The declared shape of what `createBaton` returns: one interface per role, so
 * the public API is written down (and type-tested in `baton-api.test-d.ts`)
 * rather than inferred from the implementation.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { BatonErrorCode, JsonObject, SessionEngine } from '@baton/core'
import type {
  AuthServer,
  BatonSession,
  BatonUpstream,
  CookieNames,
  CorsHelpers,
  Credentials,
  OidcInfo,
  ResolvedBatonOptions,
} from '@baton/core/server'
import type { NextRequest } from 'next/server.js'

/** What a sign-in action returns when it does not redirect. */
export type SignInResult =
  | { ok: true; user: JsonObject }
  | { ok: false; error: { code: BatonErrorCode; message: string; retryAfter?: number } }

/** Options of the server helpers. */
export interface SessionOptions {
  /** Also check in the store (cached briefly) that the session was not revoked. */
  strict?: boolean
}

/** The route handlers of `app/api/auth/[...baton]/route.ts`. */
export interface BatonRouteHandlers {
  GET(request: Request): Promise<Response>
  POST(request: Request): Promise<Response>
  DELETE(request: Request): Promise<Response>
  PUT(request: Request): Promise<Response>
  PATCH(request: Request): Promise<Response>
  /** CORS preflights, with the `cors` option (otherwise 405 like any other unrouted method). */
  OPTIONS(request: Request): Promise<Response>
}

/** A route handler wrapped by `withAuth`: the same signature, Next's `context` passed through. */
export type AuthenticatedHandler<C> = (
  request: Request,
  context: C & { auth: BatonSession },
) => Response | Promise<Response>

/** `session()`, `requireSession()`, `updateSession()` and `withAuth()`: the session where the App Router renders and answers. */
export interface BatonServerHelpers {
  /**
   * The session of the current request (server components, route handlers,
   * server actions), or null. Verifies the access token itself; never
   * refreshes (the proxy does, before the page renders).
   */
  session(options?: SessionOptions): Promise<BatonSession | null>
  /** Like `session()`, but redirects to the sign-in page (with `?next=returnTo`) when signed out. */
  requireSession(options?: SessionOptions & { returnTo?: string }): Promise<BatonSession>
  /**
   * Re-issues the current session's access token with `claims` computed
   * afresh (a role changed) and sets the access cookie; the refresh cookie
   * stays valid. Server actions and route handlers only (it sets a cookie).
   * Null when signed out, or when the session was revoked or expired (its
   * cookies are then cleared). The user's other sessions get the new claims
   * at their next refresh.
   */
  updateSession(): Promise<BatonSession | null>
  /**
   * Wraps a route handler: without a valid access token (Bearer header or
   * cookie) it answers 401 JSON; a `BatonError` the handler throws becomes
   * its JSON error (clearing the cookies when the session ended).
   */
  withAuth<C>(
    handler: AuthenticatedHandler<C>,
    options?: SessionOptions,
  ): (request: Request, context: C) => Promise<Response>
}

/** Server actions for forms that work without JavaScript. */
export interface BatonActions {
  /** Signs in with a form's fields (or credentials); redirects to a safe `redirectTo`, else returns the result. */
  signIn(input: FormData | Credentials, options?: { redirectTo?: unknown }): Promise<SignInResult>
  /** Signs out (this session, or `everywhere`); redirects to a safe `redirectTo` when given. */
  signOut(options?: { everywhere?: boolean; redirectTo?: unknown }): Promise<{ revoked: number }>
}

/** Pages Router support: the same routes, and a session helper for `getServerSideProps`. */
export interface BatonPagesHelpers {
  /** The auth routes for `pages/api/auth/[...baton].ts`. */
  handler(req: IncomingMessage & { body?: unknown }, res: ServerResponse): Promise<void>
  /** The session in `getServerSideProps`, refreshed (cookies set on `res`) when the access token expired. */
  getSession(context: { req: IncomingMessage; res: ServerResponse }): Promise<BatonSession | null>
}

/** The Node proxy (`proxy.ts` on Next 16, `middleware.ts` with the Node runtime on 15). */
export type BatonProxy = (request: NextRequest) => Promise<Response>

/** What `createBaton` returns: every binding over one framework-free `AuthServer`. */
export interface Baton extends BatonServerHelpers, CorsHelpers {
  /** The framework-free server the bindings are over (`@baton/core/server`): its operations and router. */
  readonly server: AuthServer
  /** The session engine (framework-free): sign in, refresh, revoke, verify. */
  readonly engine: SessionEngine
  /** The options after defaults and validation. */
  readonly options: ResolvedBatonOptions
  /** Cookie names as sent (with `__Host-` in production). */
  readonly cookieNames: CookieNames
  readonly handlers: BatonRouteHandlers
  readonly proxy: BatonProxy
  readonly actions: BatonActions
  readonly pages: BatonPagesHelpers
  /**
   * The user's third-party access token and calls: upstream mode's, or with `oidc`
   * the OpenID provider's (disabled with neither).
   */
  readonly upstream: BatonUpstream
  /** OpenID Connect's providers (name, label, issuer) for the sign-in page; `enabled: false` without `oidc`. */
  readonly oidc: OidcInfo
}
