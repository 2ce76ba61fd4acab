import type { ReactNode } from 'react'
import { describeEntry, type MarkKind, markKind } from './describe-entry.js'
import { clock } from './format.js'
import { laneOf, lanesOf } from './lanes.js'
import { entryTime, type TimelineEntry } from './timeline-entry.js'

const WIDTH = 360
const LABELS = 64
const LANE = 20
const COLOURS: Record<MarkKind, string> = {
  ok: '#16a34a',
  shared: '#16a34a',
  failed: '#dc2626',
  'signed-out': '#d97706',
  proxy: '#2563eb',
  'proxy-stop': '#d97706',
}

function Mark({ kind, x, y, r }: { kind: MarkKind; x: number; y: number; r: number }): ReactNode {
  const fill = kind === 'shared' ? 'none' : COLOURS[kind]
  const paint = { fill, stroke: COLOURS[kind], strokeWidth: 1.5 }
  if (kind === 'failed') return <rect x={x - r} y={y - r} width={2 * r} height={2 * r} {...paint} />
  if (kind === 'signed-out') return <path d={`M${x} ${y - r}L${x + r} ${y + r}H${x - r}Z`} {...paint} />
  if (kind.startsWith('proxy'))
    return <path d={`M${x} ${y - r}L${x + r} ${y}L${x} ${y + r}L${x - r} ${y}Z`} {...paint} />
  return <circle cx={x} cy={y} r={r} {...paint} />
}

/** A text summary of the chart, for its `aria-label`. */
export function chartSummary(entries: readonly TimelineEntry[], tabs: number): string {
  const count = (kinds: MarkKind[]): number => entries.filter((e) => kinds.includes(markKind(e))).length
  return (
    `Timeline of ${tabs} tab${tabs === 1 ? '' : 's'}: ${count(['ok', 'shared'])} refreshes or sign-ins, ` +
    `${count(['failed'])} failed, ${count(['signed-out'])} sign-outs, ${count(['proxy', 'proxy-stop'])} proxy decisions. ` +
    'Details in the list below.'
  )
}

/**
 * Time on x, one lane per tab (this tab first) and one for the proxy; a mark
 * per event, sized by duration, coloured and shaped by result.
 */
export function TimelineChart({ entries, tab }: { entries: readonly TimelineEntry[]; tab: string }): ReactNode {
  const lanes = lanesOf(entries, tab)
  const start = entries.length > 0 ? entryTime(entries[0] as TimelineEntry) : Date.now()
  const span = Math.max(1000, (entries.length > 0 ? entryTime(entries.at(-1) as TimelineEntry) : start) - start)
  const height = lanes.length * LANE + 14
  const xOf = (ms: number): number => LABELS + 10 + ((ms - start) / span) * (WIDTH - LABELS - 20)
  return (
    <svg
      role="img"
      aria-label={chartSummary(entries, lanes.length - (lanes.at(-1)?.key === 'proxy' ? 1 : 0))}
      viewBox={`0 0 ${WIDTH} ${height}`}
      width="100%"
    >
      {lanes.map((lane, i) => (
        <g key={lane.key}>
          <line
            x1={LABELS}
            x2={WIDTH}
            y1={i * LANE + LANE / 2}
            y2={i * LANE + LANE / 2}
            stroke="currentColor"
            opacity={0.2}
          />
          <text x={0} y={i * LANE + LANE / 2 + 3}>
            {lane.label}
          </text>
        </g>
      ))}
      {entries.map((entry) => {
        const lane = lanes.findIndex((candidate) => candidate.key === laneOf(entry))
        const y = lane * LANE + LANE / 2
        const duration = entry.kind === 'client' ? (entry.event.duration ?? 0) : (entry.report.duration ?? 0)
        const r = 3 + Math.min(5, Math.sqrt(duration) / 5)
        return (
          <g
            key={entry.id}
            data-mark={markKind(entry)}
            data-type={entry.kind === 'client' ? entry.event.type : 'proxy'}
          >
            <title>{`${lanes[lane]?.label}: ${describeEntry(entry, entries)}`}</title>
            <Mark kind={markKind(entry)} x={xOf(entryTime(entry))} y={y} r={r} />
          </g>
        )
      })}
      <text x={LABELS} y={height - 2}>
        {clock(start)}
      </text>
      <text x={WIDTH} y={height - 2} textAnchor="end">
        {clock(start + span)}
      </text>
    </svg>
  )
}
