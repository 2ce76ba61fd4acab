import type { ProxyReport } from './timeline-entry.js'

/** The cookie `@baton/next`'s proxy sets (dev only) when it redirects: URL-encoded JSON. */
export const REDIRECT_COOKIE = 'baton-devtools'

/** The part of a `PerformanceResourceTiming` / `PerformanceNavigationTiming` entry read here. */
export interface TimingEntryLike {
  name: string
  startTime: number
  responseEnd?: number
  serverTiming?: readonly { name: string; duration: number; description: string }[]
}

/** A proxy report and a key that is the same each time the same timing entry is seen. */
export interface KeyedReport {
  key: string
  report: ProxyReport
}

const pathOf = (url: string): string => {
  try {
    return new URL(url, globalThis.location?.href ?? 'http://localhost').pathname
  } catch {
    return url
  }
}

/**
 * The proxy's decisions in one timing entry: each `Server-Timing:
 * baton;dur=…;desc="action:reason"`, except `passed` (not the proxy's to
 * check: auth routes, unprotected paths), which would crowd out the rest.
 */
export function reportsFromTiming(entry: TimingEntryLike, timeOrigin: number): KeyedReport[] {
  const at = Math.round(timeOrigin + (entry.responseEnd || entry.startTime))
  const reports: KeyedReport[] = []
  for (const timing of entry.serverTiming ?? []) {
    const [action = '', ...rest] = timing.description.split(':')
    if (timing.name !== 'baton' || action === 'passed') continue
    const report: ProxyReport = { action, reason: rest.join(':'), path: pathOf(entry.name), at }
    if (timing.duration > 0) report.duration = timing.duration
    reports.push({ key: `p:${Math.round(timeOrigin)}:${entry.startTime}:${entry.name}:${reports.length}`, report })
  }
  return reports
}

/** The redirect report in a `document.cookie` string, or null. */
export function parseRedirectCookie(cookies: string): ProxyReport | null {
  const pair = cookies.split(/;\s*/).find((c) => c.startsWith(`${REDIRECT_COOKIE}=`))
  if (!pair) return null
  try {
    const value = JSON.parse(decodeURIComponent(pair.slice(REDIRECT_COOKIE.length + 1)))
    if (typeof value?.action !== 'string') return null
    return {
      action: value.action,
      reason: String(value.reason ?? ''),
      path: String(value.path ?? ''),
      at: typeof value.at === 'number' ? value.at : Date.now(),
    }
  } catch {
    return null
  }
}

/**
 * Reads the proxy's reports for this page: the redirect cookie once (then
 * deletes it), and every navigation and resource timing entry, past
 * (`buffered`) and future. Returns the function that stops observing.
 */
export function observeProxyReports(onReport: (keyed: KeyedReport) => void): () => void {
  if (typeof document !== 'undefined') {
    const redirect = parseRedirectCookie(document.cookie)
    if (redirect) {
      // biome-ignore lint/suspicious/noDocumentCookie: the Cookie Store API is not in every browser; one fixed string.
      document.cookie = `${REDIRECT_COOKIE}=; Max-Age=0; Path=/`
      onReport({ key: `c:${redirect.at}:${redirect.path}`, report: redirect })
    }
  }
  if (typeof PerformanceObserver === 'undefined') return () => undefined
  const supported = PerformanceObserver.supportedEntryTypes ?? []
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      for (const keyed of reportsFromTiming(entry as TimingEntryLike, performance.timeOrigin)) onReport(keyed)
    }
  })
  for (const type of ['navigation', 'resource']) {
    if (supported.includes(type)) observer.observe({ type, buffered: true })
  }
  return () => observer.disconnect()
}
