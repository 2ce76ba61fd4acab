import type { SessionRecord } from '../index.js'
import type { AuthenticatedUser, Credentials } from './credentials.js'

// The two seams where an identity source plugs into the server layer. Local
// mode (`authenticate`) is one implementation of the first; upstream mode is
// one of both; OpenID Connect is meant to be another, not a parallel API.

/**
 * "Check these credentials": the user they belong to, with whatever the
 * source issued alongside (an upstream token pair) for a {@link TokenKeeper},
 * or null for *any* refusal (unknown account and wrong password look the
 * same). Throwing reports an outage: the client is told to try again.
 */
export interface CredentialsVerifier<Grant = unknown> {
  verify(input: { credentials: Credentials; request: Request }): Promise<{
    user: AuthenticatedUser | null | undefined
    grant?: Grant
  } | null>
}

/**
 * "Keep and refresh third-party tokens" for Baton sessions: what sign-in
 * received goes with the new session, and goes away with it.
 */
export interface TokenKeeper<Grant = unknown> {
  /** Keeps the grant with a new session (upstream mode: sealed in its session data). */
  attach(session: SessionRecord, grant: Grant): Promise<void>
  /** Releases a grant no session will hold (sign-in failed after the check): best effort. */
  discard(grant: Grant): Promise<void>
  /**
   * Ends the third-party side of an ended Baton session: best effort, bounded.
   * Returns what it ended, when the caller may need it (OpenID Connect: the
   * ID token for RP-initiated logout).
   */
  endSession(sessionId: string): Promise<Grant | null | undefined>
}

/** Local mode: the app's `authenticate`, with nothing to keep. */
export function authenticateVerifier(
  authenticate: (credentials: Credentials, request: Request) => Promise<AuthenticatedUser | null>,
): CredentialsVerifier<never> {
  return {
    async verify({ credentials, request }) {
      return { user: await authenticate(credentials, request) }
    },
  }
}
