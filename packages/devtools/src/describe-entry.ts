import { lockHolder } from './lanes.js'
import { causeText, lockText, resultText, signOutReason } from './reasons.js'
import type { TimelineEntry } from './timeline-entry.js'

/** One line saying what an entry was: type, cause, duration, result, lock (and which tab held it). */
export function describeEntry(entry: TimelineEntry, entries: readonly TimelineEntry[]): string {
  if (entry.kind === 'proxy') {
    const { action, reason, path, duration } = entry.report
    return `${action}${reason ? ` (${reason})` : ''} ${path}${duration ? `, ${Math.round(duration)} ms` : ''}`
  }
  const { event } = entry
  const parts: string[] = [event.type]
  if (event.cause) parts.push(causeText(event.cause))
  if (event.duration !== undefined) parts.push(`${Math.round(event.duration)} ms`)
  parts.push(event.type === 'signed-out' ? signOutReason(event) : resultText(event))
  if (event.lock) {
    const holder = lockHolder(entry, entries)
    parts.push(`lock: ${lockText(event.lock)}${holder ? `, held by ${holder.label}` : ''}`)
  }
  return parts.join(' · ')
}

/** The mark's look: by result; `shared`: this tab sent no request (another tab's session was used). */
export type MarkKind = 'ok' | 'shared' | 'failed' | 'signed-out' | 'proxy' | 'proxy-stop'

/** Which mark an entry gets. */
export function markKind(entry: TimelineEntry): MarkKind {
  if (entry.kind === 'proxy')
    return ['redirected', 'denied', 'unavailable'].includes(entry.report.action) ? 'proxy-stop' : 'proxy'
  const { type } = entry.event
  if (type === 'refresh-failed') return 'failed'
  if (type === 'signed-out') return 'signed-out'
  return entry.event.shared || type === 'session-from-tab' ? 'shared' : 'ok'
}
