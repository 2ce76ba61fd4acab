// @baton/react's README, "Use it": the root layout hands the server's session to <BatonProvider>,
// read inside the <Suspense> the layout wraps this in (Cache Components).
import { BatonProvider } from '@baton/react'
import type { ReactNode } from 'react'
import { baton } from '@/lib/baton'

export async function SessionProvider({ children }: { children: ReactNode }) {
  const session = await baton.session() // null when signed out
  // No token in the HTML: the client fetches one from /session on first use.
  return (
    <BatonProvider initialSession={session && { user: session.user, accessTokenExpiresAt: session.expiresAt }}>
      {children}
    </BatonProvider>
  )
}
