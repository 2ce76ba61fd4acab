/**
 * proxy-overhead: a protected, dynamic page of a real `next start`
 * (bench/next-app) requested with a valid access cookie through Baton's
 * proxy (`/dashboard`), against the very same page behind a proxy that does
 * nothing (`/plain`). Both pages call `baton.session()` and render the
 * subject, so the two differ only by the proxy's work: reading the cookie,
 * verifying the token, deciding not to refresh.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { BenchContext, ResultRow } from '../harness.js'
import { ACCESS_COOKIE, REFRESH_COOKIE, signInSessions } from '../lib/app-sessions.js'
import { compareHttp, type HttpSide, httpRow } from '../lib/http-compare.js'
import { newSecret, startNextApp } from '../lib/next-app.js'

const CONNECTIONS = 10

export default async function proxyOverhead(ctx: BenchContext): Promise<ResultRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'baton-bench-proxy-'))
  const db = join(dir, 'app.db')
  const secret = newSecret()
  try {
    const [session] = await signInSessions(db, secret, 1)
    if (!session) throw new Error('no session')
    const cookie = `${ACCESS_COOKIE}=${session.accessToken}; ${REFRESH_COOKIE}=${session.refreshToken}`
    const app = await startNextApp({ db, secret, readyPath: '/api/plain', log: ctx.log })
    try {
      // Both pages must see the session, and the proxy must not refresh (no Set-Cookie).
      for (const path of ['/dashboard', '/plain']) {
        const response = await fetch(`${app.origin}${path}`, { headers: { cookie }, redirect: 'manual' })
        const html = await response.text()
        if (response.status !== 200 || !html.includes(session.session.subject)) {
          throw new Error(`${path}: ${response.status}, session not rendered:\n${html.slice(0, 500)}\n${app.logs()}`)
        }
        if (response.headers.getSetCookie().length > 0) throw new Error(`${path}: the proxy refreshed`)
      }
      const side = (name: string, path: string): HttpSide => ({
        name,
        options: { url: `${app.origin}${path}`, connections: CONNECTIONS, headers: { cookie } },
      })
      const seconds = ctx.quick ? 1 : 2
      const result = await compareHttp({
        subject: side('baton proxy', '/dashboard'),
        baseline: side('no-op proxy', '/plain'),
        rounds: ctx.quick ? 2 : 10,
        seconds,
        warmupSeconds: ctx.quick ? 1 : 3,
        log: ctx.log,
      })
      return [
        httpRow(
          {
            id: 'proxy-overhead',
            baseline: 'same page behind a no-op proxy',
            target: 0.95,
            notes:
              'next start -H 127.0.0.1 of bench/next-app (production build), force-dynamic page calling session(), ' +
              'valid HS256 access cookie (15 min) + refresh cookie, autocannon on 127.0.0.1',
            connections: CONNECTIONS,
            seconds,
          },
          result,
        ),
      ]
    } finally {
      await app.stop()
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
