import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { UpstreamOptions } from '@baton/core/server'
import { manualClock } from '@baton/core/testing'
import { migrate, openSqliteDatabase, SqliteSessionStore } from '@baton/drizzle/sqlite'
import { afterAll, beforeAll, beforeEach } from 'vitest'
import {
  DEMO_PASSWORD,
  DEMO_USER,
  startUpstreamServer,
  type UpstreamServer,
} from '../../../../apps/e2e/fixtures/upstream-server.mjs'
import { createBaton } from '../create-baton.js'
import type { BatonOptions } from '../options.js'
import { ORIGIN, request, SECRET, setCookies } from '../test-app.fixture.js'

export { DEMO_PASSWORD, DEMO_USER, ORIGIN, request, SECRET, setCookies }

/** A SQLite file migrated in a temp dir; `path` lets another process open the same file. */
export function openSqliteFile(path?: string) {
  const dir = path ? undefined : mkdtempSync(join(tmpdir(), 'baton-upstream-'))
  const file = path ?? join(dir as string, 'baton.db')
  const db = openSqliteDatabase(file)
  migrate(db)
  return {
    file,
    db,
    store: new SqliteSessionStore(db),
    close() {
      db.$client.close()
      if (dir) rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** A strict upstream server for the whole file, with counters reset before each test. */
export function useUpstream(options: Parameters<typeof startUpstreamServer>[0] = {}): () => UpstreamServer {
  let server: UpstreamServer | undefined
  beforeAll(async () => {
    server = await startUpstreamServer(options)
  })
  afterAll(() => server?.close())
  beforeEach(() => server?.controls.reset())
  return () => {
    if (!server) throw new Error('upstream not started')
    return server
  }
}

/** A Baton instance in upstream mode over `store`, with a manual clock. */
export function upstreamBaton(
  store: BatonOptions['store'],
  upstream: UpstreamOptions,
  overrides: Partial<BatonOptions> = {},
) {
  const clock = manualClock(Date.now())
  const baton = createBaton({
    store,
    secret: SECRET,
    clock,
    cookies: { secure: true },
    paths: { protected: ['/dashboard', '/api/me'] },
    rateLimit: false,
    upstream,
    ...overrides,
  })
  return { baton, clock }
}

/** Signs the demo user in through Baton's login route; returns the cookies and the session id. */
export async function signInUpstream(baton: ReturnType<typeof createBaton>, password = DEMO_PASSWORD) {
  const response = await baton.handlers.POST(
    request('/api/auth/login', { method: 'POST', json: { email: DEMO_USER.email, password } }),
  )
  const body = await response.json()
  if (response.status !== 200) throw Object.assign(new Error(`sign-in: ${response.status}`), { response, body })
  const cookies = setCookies(response)
  return { response, body, cookies, sessionId: body.session.id as string }
}
