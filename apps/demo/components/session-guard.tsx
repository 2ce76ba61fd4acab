'use client'

import { useSession } from '@baton/react'
import { usePathname, useRouter } from 'next/navigation'
import { useEffect, useRef } from 'react'

/**
 * Sends this tab to /login the moment its session ends while the page is
 * open: signed out in another tab, revoked, or a refresh that failed for good.
 */
export function SessionGuard() {
  const { status } = useSession()
  const router = useRouter()
  const pathname = usePathname()
  const previous = useRef(status)
  useEffect(() => {
    const was = previous.current
    previous.current = status
    if (status === 'unauthenticated' && was !== 'unauthenticated') {
      router.replace(`/login?next=${encodeURIComponent(pathname)}&error=signed_out`)
    }
  }, [status, pathname, router])
  return null
}
