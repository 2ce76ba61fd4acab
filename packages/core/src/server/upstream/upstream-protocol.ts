// The upstream protocol's types, apart from the options that use them: the default protocol
// (default-protocol.ts) and the options (upstream-options.ts) both need them, one without the other.
import type { Credentials } from '../credentials.js'

/** A token pair as the upstream issues it. `expiresIn` is the access token's lifetime in seconds. */
export interface UpstreamTokenSet {
  accessToken: string
  refreshToken: string
  expiresIn: number
  /** OpenID Connect: the provider's ID token (kept for `id_token_hint` at RP-initiated logout). */
  idToken?: string | undefined
  /** OpenID Connect: the name of the provider that issued the tokens. */
  provider?: string | undefined
  /** OpenID Connect: the provider's session id (the ID token's `sid`), for back-channel logout. */
  sid?: string | undefined
}

/** What the upstream answers to a successful login. */
export interface UpstreamLoginResult extends UpstreamTokenSet {
  /** The upstream's user; `toUser` turns it into Baton's (default: needs an `id`). */
  user: unknown
}

/** What every protocol function receives: the upstream URL, a time-bounded signal and `fetch`. */
export interface UpstreamCall {
  url: string
  /** Aborts at `timeoutMs` (or `logoutTimeoutMs`); pass it on to your HTTP call. */
  signal: AbortSignal
  fetch: typeof fetch
}

/**
 * How Baton talks to the upstream. Each function may be replaced. A function
 * that *returns null* reports a definitive refusal (bad credentials, refresh
 * token rejected); one that *throws* reports an outage (timeout, connection
 * error, 5xx), which never ends a session.
 */
export interface UpstreamProtocol {
  /** Default: `POST {url}/auth/login` with the posted credentials as JSON; 400/401/403 → null. */
  login(input: UpstreamCall & { credentials: Credentials; request: Request }): Promise<UpstreamLoginResult | null>
  /** Default: `POST {url}/auth/refresh` `{ refreshToken }`; 400/401/403 → null. Never retried. */
  refresh(input: UpstreamCall & { refreshToken: string; provider?: string }): Promise<UpstreamTokenSet | null>
  /** Default: `POST {url}/auth/logout` `{ refreshToken }`, with the access token as Bearer. */
  logout(input: UpstreamCall & { refreshToken: string; accessToken: string; provider?: string }): Promise<void>
}
