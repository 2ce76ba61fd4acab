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
  ERR_OIDC_SIGN_IN: 'Signing in with the provider did not complete. Nobody was signed in; try again.',
  signed_out: 'You are signed out.',
}

/** Why a sign-in at the provider failed (`?reason=` next to `ERR_OIDC_SIGN_IN`). */
const OIDC_REASONS: Record<string, string> = {
  provider_error: 'The provider refused or cancelled the sign-in.',
  transaction_missing:
    'The provider’s answer matches no sign-in started in this browser (it expired, was already used, or was altered).',
  invalid_response: 'The provider’s answer failed a security check.',
  code_rejected: 'The provider did not accept the sign-in code.',
}

/** What the user reads for `code` (a generic line for unknown codes), or null without one. */
export function messageFor(code: string | null | undefined): string | null {
  if (!code) return null
  return MESSAGES[code] ?? 'Something went wrong. Try again.'
}

/** The message for a failed provider sign-in, with its reason when known. */
export function oidcMessageFor(code: string | null, reason: string | null): string | null {
  const message = messageFor(code)
  if (code !== 'ERR_OIDC_SIGN_IN') return message
  const why = reason ? OIDC_REASONS[reason] : undefined
  return why ? `${why} ${message}` : message
}
