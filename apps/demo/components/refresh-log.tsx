'use client'

import { useSession } from '@baton/react'
import { useEvents } from './providers'

const LABELS: Record<string, string> = {
  'signed-in': 'Signed in',
  refreshed: 'Access token refreshed',
  'refresh-failed': 'Refresh failed',
  'signed-out': 'Signed out',
  'session-from-tab': 'New token from another tab',
}

/** The session events of this page, newest first. Tokens never appear here. */
export function RefreshLog() {
  const events = useEvents()
  const { error } = useSession()
  return (
    <div>
      {error ? (
        <p className="notice" role="status">
          {error.message} — the session is kept; retrying shortly.
        </p>
      ) : null}
      {events.length === 0 ? (
        <p className="muted" data-testid="refresh-log-empty">
          No events yet. The client refreshes shortly before the token expires, and when you come back to the tab.
        </p>
      ) : (
        <ol className="log" data-testid="refresh-log">
          {events.map((event) => (
            <li key={`${event.at}-${event.type}`} data-type={event.type}>
              <time>{new Date(event.at).toLocaleTimeString()}</time> {LABELS[event.type] ?? event.type}
              {event.expiresAt ? ` · valid until ${new Date(event.expiresAt).toLocaleTimeString()}` : ''}
              {event.code ? ` · ${event.code}` : ''}
            </li>
          ))}
        </ol>
      )}
    </div>
  )
}
