import { useEffect, useState, useSyncExternalStore } from 'react'
import type { ObservedClient } from './contract.js'
import { observeProxyReports } from './proxy-reports.js'
import { openDevtoolsChannel, type TabIdentity } from './tab-channel.js'
import type { TimelineEntry } from './timeline-entry.js'
import { createTimelineStore, type TimelineSnapshot, tabStorage } from './timeline-store.js'

let sequence = 0
/** This page load's own part of entry ids: a tab keeps its id across pages, and `sequence` starts over on each. */
const page = Date.now().toString(36) + Math.random().toString(36).slice(2, 6)

/** Options of {@link useDevtoolsEvents}. */
export interface DevtoolsEventsOptions {
  client: ObservedClient
  tab: TabIdentity
}

/**
 * The timeline of this tab and the others: records the client's events
 * (posting each on the panel's own channel), the other tabs' panels' events,
 * and the proxy's reports for this page. Listens only: it calls nothing on
 * the client but `onEvent`.
 */
export function useDevtoolsEvents({ client, tab }: DevtoolsEventsOptions): TimelineSnapshot {
  const [store] = useState(() => createTimelineStore({ storage: tabStorage() }))

  useEffect(() => {
    const channel = openDevtoolsChannel((entry) => store.add(entry))
    const stopEvents = client.onEvent?.((event) => {
      const entry: TimelineEntry = {
        id: `${tab.id}:${page}:${++sequence}`,
        tab: tab.id,
        label: tab.label,
        kind: 'client',
        event,
      }
      store.add(entry)
      channel.post(entry)
    })
    const stopProxy = observeProxyReports(({ key, report }) =>
      store.add({ id: key, tab: tab.id, label: tab.label, kind: 'proxy', report }),
    )
    return () => {
      stopEvents?.()
      stopProxy()
      channel.close()
    }
  }, [client, store, tab])

  return useSyncExternalStore(store.subscribe, store.getSnapshot, store.getSnapshot)
}
