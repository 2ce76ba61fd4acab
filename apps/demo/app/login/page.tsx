import { safeReturnPath } from '@baton/next'
import { redirect } from 'next/navigation'
import { LoginForm } from '@/components/login-form'
import { OidcSignIn } from '@/components/oidc-sign-in'
import { baton, env } from '@/lib/baton'
import { messageFor, oidcMessageFor } from '@/lib/messages'
import { signInAction } from './actions'

type Search = Promise<Record<string, string | string[] | undefined>>

const text = (value: string | string[] | undefined): string | null => (typeof value === 'string' ? value : null)

export default async function Login({ searchParams }: { searchParams: Search }) {
  const params = await searchParams
  const next = safeReturnPath(params.next) ?? '/dashboard'
  // Strict, or a revoked device (valid token, dead session) would bounce between here and the dashboard.
  if (await baton.session({ strict: true })) redirect(next)
  const error = text(params.error)
  if (env.oidc) {
    return (
      <main className="narrow">
        <h1>Sign in</h1>
        <p className="muted">
          Accounts live at the OpenID provider <code>{env.oidc.issuer}</code>; this app keeps no passwords.
        </p>
        <div className="card">
          <OidcSignIn
            provider="oidc"
            label={env.oidc.label}
            next={next}
            error={oidcMessageFor(error, text(params.reason))}
          />
        </div>
      </main>
    )
  }
  return (
    <main className="narrow">
      <h1>Sign in</h1>
      <p className="muted">
        Demo account: <code>demo@baton.dev</code> / <code>correct-horse-battery-staple</code>
      </p>
      <div className="card">
        <LoginForm action={signInAction} next={next} initialError={messageFor(error)} />
      </div>
      <noscript>
        <p className="muted">JavaScript is off: the form posts to a server action and still works.</p>
      </noscript>
    </main>
  )
}
