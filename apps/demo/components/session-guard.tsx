'use client'

import { useAuthNavigation, useSession } from '@baton/react'
import { usePathname } from 'next/navigation'
import { useEffect, useRef } from 'react'

/**
 * Sends this tab to /login the moment its session ends while the page is
 * open: signed out in another tab, revoked, or a refresh that failed for good.
 * A full page load (`leave`), so nothing this tab cached while signed in stays
 * reachable through its router or Back.
 */
export function SessionGuard() {
  const { status } = useSession()
  const { leave } = useAuthNavigation()
  const pathname = usePathname()
  const previous = useRef(status)
  useEffect(() => {
    const was = previous.current
    previous.current = status
    if (status === 'unauthenticated' && was !== 'unauthenticated') {
      leave(`/login?next=${encodeURIComponent(pathname)}&error=signed_out`)
    }
  }, [status, pathname, leave])
  return null
}
