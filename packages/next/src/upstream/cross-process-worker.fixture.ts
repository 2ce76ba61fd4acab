// One app process for the cross-process test: opens the shared SQLite file,
// creates Baton in upstream mode with the test secret, and on "go" fires
// `count` concurrent getAccessToken calls for one session, reporting the
// tokens it got. Driven over IPC by cross-process.test.ts.
import { openSqliteDatabase, SqliteSessionStore } from '@baton/drizzle/sqlite'
import { createBaton } from '../create-baton.js'
import { SECRET } from '../test-app.fixture.js'

const { DB_FILE, UPSTREAM_URL, CLOCK_OFFSET_MS, LEASE_MS } = process.env
const db = openSqliteDatabase(DB_FILE as string)
const baton = createBaton({
  store: new SqliteSessionStore(db),
  secret: SECRET,
  clock: { now: () => Date.now() + Number(CLOCK_OFFSET_MS ?? 0) },
  upstream: { url: UPSTREAM_URL as string, timeoutMs: 2000, leaseMs: Number(LEASE_MS ?? 7000) },
})

process.on('message', async (message: { type: 'go'; sessionId: string; count: number }) => {
  if (message.type !== 'go') return
  const started = Date.now()
  const results = await Promise.allSettled(
    Array.from({ length: message.count }, () => baton.upstream.getAccessToken({ sessionId: message.sessionId })),
  )
  process.send?.({
    type: 'done',
    tokens: results.map((r) => (r.status === 'fulfilled' ? r.value : `error:${(r.reason as Error).message}`)),
    ms: Date.now() - started,
  })
  db.$client.close()
  process.disconnect?.()
})
process.send?.({ type: 'ready' })
