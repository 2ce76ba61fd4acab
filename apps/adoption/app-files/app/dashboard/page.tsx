// The protected page (paths.protected and proxy.ts's matcher already list /dashboard).
// Cache Components: the session read (a cookie) renders inside <Suspense>.
import { Suspense } from 'react'
import { baton } from '@/lib/baton'
import { Account } from './account'
import { ApiProvider } from './api-provider'

export default function DashboardPage() {
  return (
    <main>
      <h1>Dashboard</h1>
      <Suspense fallback={<p>Loading…</p>}>
        <SignedIn />
      </Suspense>
    </main>
  )
}

async function SignedIn() {
  const session = await baton.requireSession({ returnTo: '/dashboard' })
  return (
    <>
      <p data-testid="server-user">Server component: {String(session.user?.email)}</p>
      {/* useSession() and useBaton() below read the root layout's <BatonProvider>. */}
      <ApiProvider>
        <Account />
      </ApiProvider>
    </>
  )
}
