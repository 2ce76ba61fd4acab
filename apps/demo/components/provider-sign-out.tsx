/**
 * RP-initiated sign-out (OIDC mode): a plain same-origin form post to Baton's route, which ends
 * the session here, revokes the provider's refresh token and sends the browser to the provider's
 * `end_session_endpoint`; the provider then returns it to `/login`. A full page load, no JavaScript.
 */
export function ProviderSignOut({ provider, label }: { provider: string; label: string }) {
  return (
    <form method="post" action={`/api/auth/signout/${provider}`}>
      <button type="submit" className="secondary" data-testid="provider-sign-out">
        Sign out at {label}
      </button>
    </form>
  )
}
