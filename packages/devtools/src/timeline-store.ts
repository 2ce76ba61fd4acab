import { entryTime, type TimelineEntry } from './timeline-entry.js'

/** What the panel renders from: entries oldest first, and the last sign-out of any tab. */
export interface TimelineSnapshot {
  entries: readonly TimelineEntry[]
  lastSignOut: TimelineEntry | null
}

/** An in-memory timeline mirrored to `sessionStorage`, so it survives the navigation after a sign-out. */
export interface TimelineStore {
  /** Adds an entry (ignored when its id is known), keeps the newest `max`. */
  add(entry: TimelineEntry): void
  subscribe(listener: () => void): () => void
  getSnapshot(): TimelineSnapshot
}

/** Options of {@link createTimelineStore}. */
export interface TimelineStoreOptions {
  /** Where to keep it; null keeps it in memory only. */
  storage: Pick<Storage, 'getItem' | 'setItem'> | null
  /** Default 100. */
  max?: number
  /** Default `baton-devtools`. */
  key?: string
}

const EMPTY: TimelineSnapshot = { entries: [], lastSignOut: null }

/** The tab's sessionStorage, or null where it is unavailable (server, blocked storage). */
export function tabStorage(): Storage | null {
  try {
    return typeof sessionStorage === 'undefined' ? null : sessionStorage
  } catch {
    return null
  }
}

function load(options: TimelineStoreOptions, key: string): TimelineSnapshot {
  try {
    const saved = JSON.parse(options.storage?.getItem(key) ?? 'null')
    if (!saved || !Array.isArray(saved.entries)) return EMPTY
    return { entries: saved.entries, lastSignOut: saved.lastSignOut ?? null }
  } catch {
    return EMPTY
  }
}

/** Creates the store, starting from what this tab's storage holds. */
export function createTimelineStore(options: TimelineStoreOptions): TimelineStore {
  const key = options.key ?? 'baton-devtools'
  const max = options.max ?? 100
  const listeners = new Set<() => void>()
  let snapshot = load(options, key)

  return {
    add(entry) {
      if (snapshot.entries.some((known) => known.id === entry.id)) return
      const entries = [...snapshot.entries, entry].sort((a, b) => entryTime(a) - entryTime(b)).slice(-max)
      const signedOut = entry.kind === 'client' && entry.event.type === 'signed-out'
      const last = snapshot.lastSignOut
      const lastSignOut = signedOut && (!last || entryTime(last) <= entryTime(entry)) ? entry : last
      snapshot = { entries, lastSignOut }
      try {
        options.storage?.setItem(key, JSON.stringify(snapshot))
      } catch {
        // Full or blocked storage: the timeline still works in memory.
      }
      for (const listener of listeners) listener()
    },
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    getSnapshot: () => snapshot,
  }
}
