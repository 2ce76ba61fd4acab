import type { ReactNode } from 'react'
import { Section } from './section.js'
import { TimelineChart } from './timeline-chart.js'
import type { TimelineEntry } from './timeline-entry.js'
import { isCrossTab, TimelineList } from './timeline-list.js'

/** The chart of every tab's refreshes and the proxy's decisions, the same as a list, and the cross-tab events. */
export function Timeline({ entries, tab }: { entries: readonly TimelineEntry[]; tab: string }): ReactNode {
  const proxy = entries.filter((entry) => entry.kind === 'proxy')
  return (
    <>
      <Section title="Refreshes across tabs">
        <TimelineChart entries={entries} tab={tab} />
        <p aria-hidden="true">● ok ○ another tab's session, no request ■ failed ▲ signed out ◆ proxy</p>
        <TimelineList items={entries} entries={entries} tab={tab} empty="No events yet." />
      </Section>
      <Section title="Across tabs">
        <TimelineList
          items={entries.filter(isCrossTab)}
          entries={entries}
          tab={tab}
          empty="No broadcast sign-out, lock wait or lock timeout yet."
        />
      </Section>
      <Section title="Proxy decisions">
        <TimelineList items={proxy} entries={entries} tab={tab} empty="No report from the proxy on this page yet." />
      </Section>
    </>
  )
}
