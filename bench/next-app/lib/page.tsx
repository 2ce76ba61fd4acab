import { baton } from './baton'

/**
 * The page both routes render: `/dashboard` behind Baton's proxy and `/plain`
 * behind a no-op proxy. Either way it checks the session itself, as a real
 * protected page does (`session()` never trusts the proxy).
 */
export async function SessionPage() {
  const session = await baton.session()
  return (
    <main>
      <h1>Dashboard</h1>
      <p data-testid="subject">{session?.subject ?? 'none'}</p>
      <p data-testid="session-id">{session?.sessionId ?? 'none'}</p>
    </main>
  )
}
