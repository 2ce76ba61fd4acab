import { entryTime, type TimelineEntry } from './timeline-entry.js'

/** A row of the chart: one tab's client events, or the proxy's decisions. */
export interface Lane {
  key: string
  label: string
}

/** The proxy lane's key. */
export const PROXY_LANE = 'proxy'

/** The lane an entry goes on. */
export const laneOf = (entry: TimelineEntry): string => (entry.kind === 'proxy' ? PROXY_LANE : entry.tab)

/** This tab's lane first, then the other tabs' in order of appearance, then the proxy's. */
export function lanesOf(entries: readonly TimelineEntry[], tab: string): Lane[] {
  const lanes: Lane[] = [{ key: tab, label: 'this tab' }]
  for (const entry of entries) {
    if (entry.kind === 'client' && !lanes.some((lane) => lane.key === entry.tab))
      lanes.push({ key: entry.tab, label: entry.label })
  }
  if (entries.some((entry) => entry.kind === 'proxy')) lanes.push({ key: PROXY_LANE, label: 'proxy' })
  return lanes
}

/**
 * The tab that held the lock for a refresh this one waited for: the other
 * tab's `held` refresh closest in time (within the wait plus a second).
 */
export function lockHolder(entry: TimelineEntry, entries: readonly TimelineEntry[]): TimelineEntry | null {
  if (entry.kind !== 'client' || entry.event.lock !== 'waited') return null
  const window = (entry.event.duration ?? 0) + 1000
  let best: TimelineEntry | null = null
  for (const other of entries) {
    if (other.kind !== 'client' || other.tab === entry.tab || other.event.lock !== 'held') continue
    const gap = Math.abs(entryTime(other) - entryTime(entry))
    if (gap <= window && (!best || gap < Math.abs(entryTime(best) - entryTime(entry)))) best = other
  }
  return best
}
