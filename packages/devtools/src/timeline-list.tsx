import type { ReactNode } from 'react'
import { describeEntry } from './describe-entry.js'
import { clock } from './format.js'
import { entryTime, type TimelineEntry } from './timeline-entry.js'

/** Options of {@link TimelineList}. */
export interface TimelineListProps {
  /** The entries to list, oldest first (listed newest first). */
  items: readonly TimelineEntry[]
  /** Every entry, to find which tab held a lock. */
  entries: readonly TimelineEntry[]
  tab: string
  empty: string
}

/** The timeline as text, newest first: what the chart shows, for everyone. */
export function TimelineList({ items, entries, tab, empty }: TimelineListProps): ReactNode {
  if (items.length === 0) return <p>{empty}</p>
  return (
    <ol>
      {[...items].reverse().map((entry) => (
        <li key={entry.id}>
          <time dateTime={new Date(entryTime(entry)).toISOString()}>{clock(entryTime(entry))}</time>{' '}
          <b>{entry.kind === 'proxy' ? 'proxy' : entry.tab === tab ? 'this tab' : entry.label}</b>{' '}
          {describeEntry(entry, entries)}
        </li>
      ))}
    </ol>
  )
}

/** Whether an entry is about other tabs: a sign-out or session from one, a lock wait or timeout. */
export function isCrossTab(entry: TimelineEntry): boolean {
  if (entry.kind !== 'client') return false
  const { event } = entry
  return (
    event.from === 'tab' ||
    event.type === 'session-from-tab' ||
    event.shared === true ||
    event.lock === 'waited' ||
    event.lock === 'timeout'
  )
}
