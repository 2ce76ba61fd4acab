/** Local wall-clock time `HH:MM:SS` of a timestamp (ms). */
export const clock = (ms: number): string => new Date(ms).toLocaleTimeString([], { hour12: false })

/** `HH:MM:SS`, with the date in front when `ms` is not within a day of `now`. */
export const when = (ms: number, now: number): string =>
  Math.abs(ms - now) < 86_400_000 ? clock(ms) : `${new Date(ms).toLocaleDateString()} ${clock(ms)}`

/** `in 42 s` (under ten minutes), `in 12 min`, `in 3 h`, `in 29 d` (or `… ago`), from now to `ms`. */
export function relative(ms: number, now: number): string {
  const s = Math.round((ms - now) / 1000)
  const a = Math.abs(s)
  const amount =
    a < 600
      ? `${a} s`
      : a < 7_200
        ? `${Math.round(a / 60)} min`
        : a < 172_800
          ? `${Math.round(a / 3600)} h`
          : `${Math.round(a / 86_400)} d`
  return s >= 0 ? `in ${amount}` : `${amount} ago`
}
