/** What the user reads for each error code they can meet. */
const MESSAGES: Record<string, string> = {
  ERR_INVALID_CREDENTIALS: 'Wrong email or password.',
  ERR_RATE_LIMITED: 'Too many sign-in attempts. Wait a minute and try again.',
  ERR_BAD_REQUEST: 'Enter your email and password.',
  ERR_CSRF: 'This form came from another site, so it was refused. Open the sign-in page and try again.',
  ERR_NETWORK: 'Cannot reach the server. Check your connection and try again.',
  ERR_STORE_UNAVAILABLE: 'Sign-in is unavailable right now (the database did not answer). Try again shortly.',
  ERR_UPSTREAM_UNAVAILABLE: 'The account service is unavailable right now. Try again shortly.',
  ERR_SESSION_REVOKED: 'This device was signed out. Sign in again.',
  ERR_SESSION_EXPIRED: 'Your session expired. Sign in again.',
  ERR_REFRESH_TOKEN_REUSED: 'Your session was ended for safety (an old sign-in token was reused). Sign in again.',
  ERR_UPSTREAM_SESSION_ENDED: 'The account service ended your session. Sign in again.',
  ERR_REFRESH_ROUTE_UNAVAILABLE: 'Your session could not be renewed just now. Reload the page in a moment.',
  ERR_INTERNAL: 'Something went wrong on our side. Try again shortly.',
  signed_out: 'You are signed out.',
}

export function messageFor(code: string | null | undefined): string | null {
  if (!code) return null
  return MESSAGES[code] ?? 'Something went wrong. Try again.'
}
