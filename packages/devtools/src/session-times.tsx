import { type ReactNode, useSyncExternalStore } from 'react'
import type { ObservedClient } from './contract.js'
import { relative, when } from './format.js'
import { Facts, Section } from './section.js'
import { useNow } from './use-now.js'

/**
 * The session's status, the access token's live countdown and the session's
 * expiry. The countdown is not a live region: screen readers read it when
 * asked, not every second.
 */
export function SessionTimes({ client }: { client: ObservedClient }): ReactNode {
  const state = useSyncExternalStore(client.subscribe, client.getState, client.getState)
  const now = useNow()
  const at = (ms: number | null | undefined): string => (ms ? `${when(ms, now)}, ${relative(ms, now)}` : '—')
  return (
    <Section title="Session">
      <Facts
        rows={[
          ['status', state.error ? `${state.status} (${state.error.code})` : state.status],
          [
            'token expires',
            <span key="countdown" data-countdown="">
              {at(state.expiresAt)}
            </span>,
          ],
          ['session expires', at(state.session?.expiresAt)],
          ['absolute end', at(state.session?.absoluteExpiresAt)],
        ]}
      />
    </Section>
  )
}
