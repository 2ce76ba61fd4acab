import type { ClientEvent } from './contract.js'

/** A decision of the `@baton/next` proxy, from `Server-Timing` or the redirect cookie. */
export interface ProxyReport {
  /** verified | refreshed | redirected | denied | bearer | kept | unavailable */
  action: string
  /** e.g. `valid`, `expired`, `missing-access`, or an `ERR_…` code. */
  reason: string
  path: string
  at: number
  /** The proxy's own time (ms), when it said. */
  duration?: number
}

interface EntryBase {
  /** Unique across tabs: the tab id and a counter. */
  id: string
  /** The panel instance (tab) that recorded it. */
  tab: string
  /** A short name for that tab, e.g. `tab 3f2a`. */
  label: string
}

/** One mark on the timeline: a client event of some tab, or a proxy decision for this tab's page. */
export type TimelineEntry = EntryBase &
  ({ kind: 'client'; event: ClientEvent } | { kind: 'proxy'; report: ProxyReport })

/** When an entry happened (ms). */
export const entryTime = (entry: TimelineEntry): number => (entry.kind === 'client' ? entry.event.at : entry.report.at)

/** The client event of an entry, if it is one. */
export const clientEvent = (entry: TimelineEntry): ClientEvent | null => (entry.kind === 'client' ? entry.event : null)
