import type { TimelineEntry } from './timeline-entry.js'

/** The channel every panel posts its own tab's entries on. */
export const CHANNEL_NAME = 'baton-devtools'

/** This panel instance: a random id and the short label other tabs show for it. */
export interface TabIdentity {
  id: string
  label: string
}

/** Where a tab keeps its identity: `sessionStorage` is the tab's own and outlives its navigations. */
const TAB_KEY = 'baton-devtools:tab'

/**
 * This browser tab's identity, e.g. `{ id: '3f2a9c1e', label: 'tab 3f2a' }`: random on the tab's
 * first page, then the same on every page it navigates to or reloads (a sign-out that sends it to
 * the sign-in page stays "this tab"). New each time where `sessionStorage` is unavailable.
 */
export function newTabIdentity(): TabIdentity {
  let id: string | null = null
  try {
    id = sessionStorage.getItem(TAB_KEY)
  } catch {
    // Storage blocked: a new identity per page.
  }
  if (!id || !/^[0-9a-f]{8}$/.test(id)) {
    const bytes = crypto.getRandomValues(new Uint8Array(4))
    id = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')
    try {
      sessionStorage.setItem(TAB_KEY, id)
    } catch {
      // As above.
    }
  }
  return { id, label: `tab ${id.slice(0, 4)}` }
}

/** Posts this tab's entries to the other tabs' panels and hands theirs over. */
export interface DevtoolsChannel {
  post(entry: TimelineEntry): void
  close(): void
}

const isEntry = (value: unknown): value is TimelineEntry => {
  const entry = value as TimelineEntry | null
  if (!entry || typeof entry.id !== 'string' || typeof entry.tab !== 'string' || typeof entry.label !== 'string')
    return false
  if (entry.kind === 'client') return typeof entry.event?.type === 'string' && typeof entry.event.at === 'number'
  return entry.kind === 'proxy' && typeof entry.report?.action === 'string' && typeof entry.report.at === 'number'
}

/**
 * Opens the panel's own `BroadcastChannel` (not the client's: the panel only
 * listens to the app). Without BroadcastChannel, posting does nothing.
 */
export function openDevtoolsChannel(onEntry: (entry: TimelineEntry) => void, name = CHANNEL_NAME): DevtoolsChannel {
  if (typeof BroadcastChannel === 'undefined') return { post: () => undefined, close: () => undefined }
  const channel = new BroadcastChannel(name)
  channel.onmessage = (message: MessageEvent) => {
    if (isEntry(message.data)) onEntry(message.data)
  }
  return {
    post: (entry) => channel.postMessage(entry),
    close: () => channel.close(),
  }
}
