import { type CookieSettings, cookieNames, readCookie } from '@baton/core/server/edge'

/** Where the disagreement report goes; `console.error` unless a test says otherwise. */
export type ConfigReporter = (message: string) => void

/**
 * Detects an Edge proxy whose cookie options disagree with `createBaton`'s.
 *
 * The proxy and the routes derive cookie names separately; when one side has
 * `cookies: { secure: false }` (no `__Host-` prefix) and the other not, the
 * proxy never finds the cookies the routes set and sends every signed-in user
 * back to sign-in, in a loop. A request that carries none of the proxy's
 * cookie names but the *other* spelling of them is the sign of it, so the
 * returned check reports that once per process, naming both spellings and
 * the fix.
 *
 * It reports, never refuses: a client can send any cookie name it likes, and
 * what it sends must not turn into an error for anyone.
 */
export function foreignCookieWarning(
  settings: CookieSettings,
  report: ConfigReporter = (message) => console.error(message),
): (request: Request) => void {
  const own = cookieNames(settings)
  const other = cookieNames({ ...settings, hostPrefix: !settings.hostPrefix })
  let reported = false
  return (request) => {
    if (reported) return
    const header = request.headers.get('cookie')
    if (!header || readCookie(header, own.access) || readCookie(header, own.refresh)) return
    const found = [other.access, other.refresh].filter((name) => readCookie(header, name) !== undefined)
    if (found.length === 0) return
    reported = true
    report(
      `[baton] ERR_CONFIG: the Edge proxy reads the cookies ${own.access} / ${own.refresh}, but requests carry ` +
        `${found.join(' / ')}: createEdgeProxy and createBaton disagree on \`cookies\` (for example ` +
        '`secure: false` on one side only), so signed-in users are sent back to sign-in. Pass the same ' +
        'config object to both (see BatonSharedConfig in the @baton/next README).',
    )
  }
}
