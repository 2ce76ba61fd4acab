import { type ChildProcess, fork } from 'node:child_process'
import { once } from 'node:events'
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { openSqliteFile, signInUpstream, upstreamBaton, useUpstream } from './upstream.fixture.js'

const here = dirname(fileURLToPath(import.meta.url))
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href

type Report = { type: 'ready' } | { type: 'done'; tokens: string[]; ms: number }

/** A real OS process of the app (tsx, sources), sharing the SQLite file and the upstream. */
function startApp(env: Record<string, string>): { child: ChildProcess; next(): Promise<Report> } {
  const child = fork(join(here, 'cross-process-worker.fixture.ts'), [], {
    execArgv: ['--conditions=@baton/source', '--import', tsx],
    cwd: resolve(here, '../..'),
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  const inbox: Report[] = []
  const waiting: ((r: Report) => void)[] = []
  child.on('message', (r: Report) => {
    const w = waiting.shift()
    if (w) w(r)
    else inbox.push(r)
  })
  return {
    child,
    next: () =>
      new Promise<Report>((resolveReport, reject) => {
        const queued = inbox.shift()
        if (queued) return resolveReport(queued)
        waiting.push(resolveReport)
        child.once('exit', (code) => reject(new Error(`app process exited with ${code}`)))
      }),
  }
}

/**
 * Two processes of the app against one store, each with 25 concurrent
 * requests needing the upstream at the same instant: one upstream refresh in
 * total, and a strict upstream that never sees a refresh token twice.
 */
describe('upstream refresh: two OS processes, one store', () => {
  const upstream = useUpstream({ refreshDelayMs: 200 })
  const sqlite = openSqliteFile()
  afterAll(() => sqlite.close())

  it('one upstream refresh, zero double spends, the same token everywhere', async () => {
    const { baton } = upstreamBaton(sqlite.store, { url: upstream().url })
    const { sessionId } = await signInUpstream(baton)
    const env = { DB_FILE: sqlite.file, UPSTREAM_URL: upstream().url, CLOCK_OFFSET_MS: '60000' }
    const apps = [startApp(env), startApp(env)]
    try {
      expect((await Promise.all(apps.map((a) => a.next()))).map((r) => r.type)).toEqual(['ready', 'ready'])
      for (const app of apps) app.child.send({ type: 'go', sessionId, count: 25 })
      const reports = (await Promise.all(apps.map((a) => a.next()))) as Extract<Report, { type: 'done' }>[]
      const tokens = reports.flatMap((r) => r.tokens)
      expect(tokens).toHaveLength(50)
      expect(new Set(tokens).size).toBe(1)
      expect(tokens[0]).toMatch(/^uat_/)
      expect(upstream().controls.stats()).toMatchObject({ refreshCalls: 1, refreshes: 1, doubleSpends: 0 })
      // The parent process (a third instance) reads the same refreshed pair from the store.
      const { baton: third, clock } = upstreamBaton(sqlite.store, { url: upstream().url })
      clock.advance(60_000)
      expect(await third.upstream.getAccessToken({ sessionId })).toBe(tokens[0])
      expect(upstream().controls.stats().refreshCalls).toBe(1)
    } finally {
      await Promise.all(apps.map(async ({ child }) => child.exitCode === null && (await once(child, 'exit'))))
    }
  }, 60_000)
})
