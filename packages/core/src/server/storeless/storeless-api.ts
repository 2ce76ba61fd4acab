// The declared shape of the storeless variant: the same names as createBaton's for the same roles.
import type { JsonObject } from '../../index.js'

/** The signed-in user of a storeless request, with a usable upstream access token. */
export interface StorelessSession {
  user: JsonObject
  accessToken: string
  /** A `Set-Cookie` to send back when the pair was refreshed, else null. */
  setCookie: string | null
}

/** A fetch to the upstream with the session's token (retries, one renewal on 401). */
export type UpstreamFetch = (path: string, init?: RequestInit) => Promise<Response>

/**
 * What `createStorelessUpstream` returns: the same names as `createBaton`'s for the same roles
 * (`handlers`, `session`, `withAuth`).
 */
export interface StorelessUpstream {
  /**
   * `POST {basePath}/login` (JSON credentials → sealed cookie) and `POST {basePath}/logout`; with
   * `oidc`, `GET {basePath}/signin/:provider` and `/callback/:provider`, `POST {basePath}/signout/:provider`.
   */
  readonly handlers: { GET(request: Request): Promise<Response>; POST(request: Request): Promise<Response> }
  /**
   * The session, refreshed when needed (then `setCookie` is the cookie to send back), or null:
   * of `request`, or of the current request's headers (server components, route handlers).
   */
  session(request?: { headers: Headers }): Promise<StorelessSession | null>
  /**
   * Wraps a route handler: 401 JSON without a session; otherwise the handler gets the session as
   * `auth` and `upstream(path, init)`, and the response carries the refreshed cookie when there
   * is one. BatonErrors become JSON errors (an ended upstream session also clears the cookie; an
   * outage keeps it).
   */
  withAuth<C>(
    handler: (
      request: Request,
      context: C & { auth: StorelessSession; upstream: UpstreamFetch },
    ) => Response | Promise<Response>,
  ): (request: Request, context: C) => Promise<Response>
  /** @deprecated The same as `withAuth`, with the session as `session`: use `withAuth`. */
  withSession<C>(
    handler: (
      request: Request,
      context: C & { session: StorelessSession; upstream: UpstreamFetch },
    ) => Response | Promise<Response>,
  ): (request: Request, context: C) => Promise<Response>
}
