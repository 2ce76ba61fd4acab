import { Suspense } from 'react'
import { ApiProbe } from '@/components/api-probe'
import { ExpiryCountdown } from '@/components/expiry-countdown'
import { ProviderSignOut } from '@/components/provider-sign-out'
import { RefreshLog } from '@/components/refresh-log'
import { ServerApiCall } from '@/components/server-api-call'
import { SessionGuard } from '@/components/session-guard'
import { SignOutButton } from '@/components/sign-out-button'
import { baton, env } from '@/lib/baton'
import { signOutAction, switchRoleAction } from '../session-actions'

export default async function Dashboard() {
  // Strict: a device revoked elsewhere is sent to /login at its next navigation.
  const session = await baton.requireSession({ strict: true, returnTo: '/dashboard' })
  const user = session.user as { email?: string; name?: string } | null
  return (
    <main>
      <SessionGuard />
      <div className="heading">
        <h1>Hello, {user?.name ?? 'there'}</h1>
        <div className="actions">
          {env.oidc ? <ProviderSignOut provider="oidc" label={env.oidc.label} /> : null}
          <SignOutButton action={signOutAction} />
        </div>
      </div>

      <section className="card">
        <h2>Session (rendered on the server)</h2>
        <dl className="facts">
          <dt>User</dt>
          <dd data-testid="user-email">{user?.email}</dd>
          {env.oidc ? (
            <>
              <dt>Name (from the provider)</dt>
              <dd data-testid="user-name">{user?.name}</dd>
            </>
          ) : null}
          <dt>Session</dt>
          <dd>
            <code data-testid="session-id">{session.sessionId}</code>
          </dd>
          <dt>Role (an app claim)</dt>
          <dd>
            <span data-testid="role">{String(session.claims.role ?? 'reader')}</span>{' '}
            <form action={switchRoleAction} className="inline">
              <button type="submit" data-testid="switch-role">
                {session.claims.role === 'editor' ? 'Make me a reader' : 'Make me an editor'}
              </button>
            </form>
          </dd>
          <dt>Access token expires</dt>
          <dd data-testid="expires-at" data-expires-at={session.expiresAt}>
            {new Date(session.expiresAt).toISOString().replace('T', ' ').slice(0, 19)} UTC (in <ExpiryCountdown />)
          </dd>
        </dl>
      </section>

      <section className="card">
        <h2>Client → API, with @baton/axios</h2>
        <ApiProbe />
      </section>

      <section className="card">
        <h2>Server → API, with a server-side axios client</h2>
        {/* A network call: the page does not wait for it, the answer streams in (Cache Components or not). */}
        <Suspense fallback={<p className="muted">Calling the API…</p>}>
          <ServerApiCall session={session} />
        </Suspense>
      </section>

      <section className="card">
        <h2>Refresh events in this tab</h2>
        <RefreshLog />
      </section>
    </main>
  )
}
