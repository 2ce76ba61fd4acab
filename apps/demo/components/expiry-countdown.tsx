'use client'

import { useSession } from '@baton/react'
import { useEffect, useState } from 'react'

/** Seconds until the access token expires, ticking; the client refreshes it shortly before. */
export function ExpiryCountdown() {
  const { expiresAt, status } = useSession()
  const [now, setNow] = useState<number | null>(null)
  useEffect(() => {
    setNow(Date.now())
    const timer = setInterval(() => setNow(Date.now()), 1_000)
    return () => clearInterval(timer)
  }, [])
  if (status !== 'authenticated' || !expiresAt) return <span data-testid="countdown">—</span>
  if (now === null) return <span data-testid="countdown">…</span>
  const left = Math.max(0, Math.round((expiresAt - now) / 1000))
  return (
    <span data-testid="countdown" data-expires-at={expiresAt}>
      {left > 0 ? `${left} s` : 'expired — refreshing on next use'}
    </span>
  )
}
