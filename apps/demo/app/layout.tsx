import type { Metadata, Viewport } from 'next'
import Link from 'next/link'
import type { ReactNode } from 'react'
import { Providers } from '@/components/providers'
import { baton } from '@/lib/baton'
import './globals.css'

export const metadata: Metadata = {
  title: 'Baton demo',
  description: 'Short-lived access tokens, rotating refresh tokens.',
}
export const viewport: Viewport = { width: 'device-width', initialScale: 1 }

/**
 * Cache Components are on (next.config.ts). This layout reads the session before anything
 * renders, so each page is rendered whole at request time, without a static shell —
 * `instant = false` allows that. Content streamed in behind <Suspense> is revealed by
 * JavaScript, and this demo's sign-in and sign-out must work without it. For a static shell
 * with the session streamed in, see the @baton/react README.
 */
export const instant = false

export default async function RootLayout({ children }: { children: ReactNode }) {
  // The server already knows the session: the client starts from it (no loading flash, no
  // request on first paint). No token goes into the HTML; the client fetches one on first use.
  // Not strict: the page below does the store check where it matters (dashboard, devices, login),
  // so a render reads the store once, not twice.
  const session = await baton.session()
  const initial = session && { user: session.user, accessTokenExpiresAt: session.expiresAt }
  return (
    <html lang="en">
      <body>
        <header className="top">
          <Link href="/dashboard" className="brand">
            Baton <span>demo</span>
          </Link>
          <nav>
            <Link href="/dashboard">Dashboard</Link>
            <Link href="/devices">Devices</Link>
          </nav>
        </header>
        <Providers initialSession={initial}>{children}</Providers>
      </body>
    </html>
  )
}
