// The types of signIn, refresh and CookieJar (./sign-in.js), re-exported by ./index.d.ts.

/** A browser's cookies for one site, by name. */
export class CookieJar {
  constructor(initial?: Record<string, string>)
  readonly cookies: Map<string, string>
  get(name: string): string | undefined
  set(name: string, value: string): this
  /**
   * Applies a response's `Set-Cookie` lines (a `Max-Age` ≤ 0, an `Expires` in the past or an
   * empty value deletes) and returns what it set, by name (`''` for a deletion).
   */
  absorb(from: Response | Headers | readonly string[]): Record<string, string>
  /** The `Cookie` header: `name=value; name=value` (`''` when empty). */
  header(): string
  toJSON(): Record<string, string>
}

/** What {@link signIn} and {@link refresh} have in common. */
export interface AuthRequestOptions {
  /** Where Baton's routes answer, e.g. `http://127.0.0.1:3000/api/auth`. */
  base: string
  /** The `Origin` header. Default: `base`'s origin (a same-origin request). */
  origin?: string
  /** More request headers (`user-agent`, `x-forwarded-for`, …). */
  headers?: Record<string, string>
  /** Sends the request (default: the global `fetch`); e.g. `(request) => baton.handlers.POST(request)` in process. */
  fetch?: (request: Request) => Promise<Response>
}

/** Options of {@link signIn}. */
export interface SignInOptions extends AuthRequestOptions {
  /** Posted as JSON, e.g. `{ email, password }`. */
  credentials: Record<string, unknown>
  /** Sent along and filled with what the answer sets (default: a new one). */
  jar?: CookieJar
}

/** The JSON body of Baton's login answer. */
export interface SignInBody {
  accessToken: string
  accessTokenExpiresAt?: number
  user: Record<string, unknown>
  session: { id: string } & Record<string, unknown>
  [key: string]: unknown
}

/** A signed-in browser. */
export interface SignedIn {
  /** The cookies the login answer set (access and refresh). */
  jar: CookieJar
  accessToken: string
  body: SignInBody
  /** The login answer (its body already read: use `body`). */
  response: Response
}

/**
 * `POST {base}/login` with JSON credentials, a same-origin `Origin` header and no redirects
 * followed, as the app's sign-in form sends it; rejects, with the status and body, unless it
 * answers 200 with an access token.
 */
export function signIn(options: SignInOptions): Promise<SignedIn>

/** Options of {@link refresh}. */
export interface RefreshOptions extends AuthRequestOptions {
  /** Sends its cookies; gets what the answer sets (a rotated refresh cookie, or deletions). */
  jar: CookieJar
}

/** What a refresh answered; never rejects for an error status (refresh failures are often the subject). */
export interface Refreshed {
  status: number
  /** The new access token (a 200), else `null`. */
  accessToken: string | null
  /** The parsed JSON (the text when it is not JSON). */
  body: unknown
  /** What the answer set, by name (`''` for a deletion). */
  set: Record<string, string>
  response: Response
}

/** `POST {base}/refresh` with the jar's cookies and a same-origin `Origin`, the way the browser client refreshes. */
export function refresh(options: RefreshOptions): Promise<Refreshed>
