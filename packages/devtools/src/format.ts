/** Local wall-clock time `HH:MM:SS` of a timestamp (ms). */
export const clock = (ms: number): string => new Date(ms).toLocaleTimeString([], { hour12: false })

/** `in 42 s` or `3 s ago`, from now to `ms`. */
export function relative(ms: number, now: number): string {
  const s = Math.round((ms - now) / 1000)
  return s >= 0 ? `in ${s} s` : `${-s} s ago`
}
