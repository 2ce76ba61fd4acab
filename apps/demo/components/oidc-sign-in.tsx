/** Props of {@link OidcSignIn}. */
interface Props {
  /** The provider's name in the route: `/api/auth/signin/{provider}`. */
  provider: string
  label: string
  /** Where to land after the sign-in (a same-site path). */
  next: string
  error: string | null
}

/**
 * OIDC mode's sign-in: a plain link to Baton's sign-in route, which redirects to the provider
 * (a full page load, no JavaScript needed, no prefetch of a route that sets a cookie).
 */
export function OidcSignIn({ provider, label, next, error }: Props) {
  const href = `/api/auth/signin/${provider}?returnTo=${encodeURIComponent(next)}`
  return (
    <div className="stack">
      {error ? (
        <p className="error" role="alert" data-testid="login-error">
          {error}
        </p>
      ) : null}
      <a className="button" href={href} data-testid="oidc-sign-in">
        Sign in with {label}
      </a>
    </div>
  )
}
