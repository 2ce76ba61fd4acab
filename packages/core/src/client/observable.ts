/** A value with change notification: the shape `useSyncExternalStore` binds to. */
export interface Observable<T> {
  /** The current value; the same object until it changes. */
  get(): T
  /** Calls `listener` after every change; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void
}

/** An observable that the owner can set. */
export interface Subject<T> extends Observable<T> {
  set(value: T): void
}

/** Creates a {@link Subject}; `set` with the current value notifies no one. */
export function subject<T>(initial: T): Subject<T> {
  let value = initial
  const listeners = new Set<() => void>()
  return {
    get: () => value,
    set(next) {
      if (Object.is(next, value)) return
      value = next
      for (const listener of [...listeners]) listener()
    },
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }
}
