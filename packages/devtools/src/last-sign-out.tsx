import type { ReactNode } from 'react'
import { clock } from './format.js'
import { signOutReason } from './reasons.js'
import { entryTime, type TimelineEntry } from './timeline-entry.js'

/**
 * A sign-out in words. One told by another tab (`from: 'tab'`, no code)
 * takes its reason from that tab's own `signed-out` event, when its panel
 * posted one within five seconds.
 */
export function explainSignOut(entry: TimelineEntry, entries: readonly TimelineEntry[], tab: string): string {
  if (entry.kind !== 'client') return ''
  const where = entry.tab === tab ? 'this tab' : entry.label
  const { event } = entry
  if (event.from !== 'tab' || event.code) return `${clock(event.at)}, ${where}: ${signOutReason(event)}`
  const origin = [...entries]
    .reverse()
    .find(
      (other) =>
        other.kind === 'client' &&
        other.tab !== entry.tab &&
        other.event.type === 'signed-out' &&
        !other.event.from &&
        Math.abs(entryTime(other) - event.at) < 5000,
    )
  const code = origin?.kind === 'client' ? origin.event.code : undefined
  return `${clock(event.at)}, ${where}: ${signOutReason({ ...event, code }, origin?.label)}`
}

/** Props of {@link LastSignOut}. */
export interface LastSignOutProps {
  entry: TimelineEntry | null
  entries: readonly TimelineEntry[]
  tab: string
}

/**
 * The last sign-out of any tab and why, in plain words. A polite live
 * region: a new sign-out is announced (the countdown never is).
 */
export function LastSignOut({ entry, entries, tab }: LastSignOutProps): ReactNode {
  return (
    <p role="status">
      <b>Last sign-out:</b> {entry ? explainSignOut(entry, entries, tab) : 'None yet.'}
    </p>
  )
}
