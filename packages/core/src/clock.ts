/**
 * All of Baton's time goes through a `Clock`, so tests (and apps that need a
 * trusted time source) can move time without touching the system clock.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number
}

/** The system clock (`Date.now`). */
export const systemClock: Clock = { now: () => Date.now() }
