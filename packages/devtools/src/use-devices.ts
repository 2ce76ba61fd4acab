import { useCallback, useEffect, useState } from 'react'

/** A session of the device list, as `GET {basePath}/sessions` answers it (`SessionInfo`). */
export interface DeviceSession {
  id: string
  createdAt: number
  lastUsedAt: number
  expiresAt: number
  userAgent: string | null
  ip: string | null
  current: boolean
}

/** The device list's state and actions. */
export interface Devices {
  sessions: DeviceSession[] | null
  /** The last failure: the server's code and message, or the network error. */
  error: string | null
  busy: boolean
  reload(): void
  revoke(id: string): void
}

async function call(url: string, init: RequestInit): Promise<unknown> {
  // Same-origin credentials (the access cookie); a DELETE from the page carries `Origin`, as the CSRF check needs.
  const response = await fetch(url, { credentials: 'same-origin', headers: { accept: 'application/json' }, ...init })
  const body = await response.json().catch(() => null)
  if (response.ok) return body
  const error = body?.error
  throw new Error(error?.code ? `${error.code}: ${error.message ?? ''}` : `HTTP ${response.status}`)
}

/**
 * The user's sessions from `GET {basePath}/sessions`, loaded on mount and on
 * `reload()`; `revoke(id)` sends `DELETE {basePath}/sessions/{id}` then
 * reloads. The only requests the panel makes.
 */
export function useDevices(basePath: string): Devices {
  const [sessions, setSessions] = useState<DeviceSession[] | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  const run = useCallback(
    async (task?: () => Promise<unknown>) => {
      setBusy(true)
      try {
        await task?.()
        const body = (await call(`${basePath}/sessions`, {})) as { sessions?: DeviceSession[] } | null
        setSessions(body?.sessions ?? [])
        setError(null)
      } catch (failure) {
        setError(failure instanceof Error ? failure.message : String(failure))
      } finally {
        setBusy(false)
      }
    },
    [basePath],
  )

  useEffect(() => {
    run()
  }, [run])

  return {
    sessions,
    error,
    busy,
    reload: () => run(),
    revoke: (id) => run(() => call(`${basePath}/sessions/${encodeURIComponent(id)}`, { method: 'DELETE' })),
  }
}
