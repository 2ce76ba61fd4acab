import type { ReactNode } from 'react'
import { clock } from './format.js'
import { signOutReason } from './reasons.js'
import type { TimelineEntry } from './timeline-entry.js'

/**
 * The last sign-out of any tab and why, in plain words. A polite live
 * region: a new sign-out is announced (the countdown never is).
 */
export function LastSignOut({ entry, tab }: { entry: TimelineEntry | null; tab: string }): ReactNode {
  const text =
    entry?.kind === 'client'
      ? `${clock(entry.event.at)}, ${entry.tab === tab ? 'this tab' : entry.label}: ${signOutReason(entry.event)}`
      : 'None yet.'
  return (
    <p role="status" data-last-sign-out="">
      <b>Last sign-out:</b> {text}
    </p>
  )
}
