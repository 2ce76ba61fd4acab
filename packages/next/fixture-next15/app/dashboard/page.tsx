import { baton } from '../../lib/baton'

export const dynamic = 'force-dynamic'

/** Shows the session this very render sees (after the Edge middleware's refresh, if any). */
export default async function Dashboard() {
  const session = await baton.session()
  return (
    <main>
      <h1>Dashboard</h1>
      <p data-testid="session-id">{session?.sessionId ?? 'none'}</p>
    </main>
  )
}
