/**
 * A benchmark that fails, for processes.test.ts: it starts a long-running
 * child with `spawnGroup`, writes the child's pid to $BENCH_FIXTURE_PID_FILE,
 * then fails the way $BENCH_FIXTURE_MODE says without stopping the child:
 * `throw` (in an event handler, as the old refresh-http's `take()` threw
 * inside autocannon), `reject` (the benchmark's promise rejects) or `sigkill`
 * (the worker is killed, so no handler of its own can run).
 */
import { writeFileSync } from 'node:fs'
import type { BenchContext, ResultRow } from '../harness.js'
import { spawnGroup } from './processes.js'

export default async function failing(_ctx: BenchContext): Promise<ResultRow[]> {
  const child = spawnGroup(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' })
  writeFileSync(process.env.BENCH_FIXTURE_PID_FILE ?? '', String(child.pid))
  const mode = process.env.BENCH_FIXTURE_MODE
  await new Promise((resolve) => setTimeout(resolve, 100))
  if (mode === 'sigkill') process.kill(process.pid, 'SIGKILL')
  if (mode === 'throw') {
    setImmediate(() => {
      throw new Error('out of refresh tokens (thrown in an event handler)')
    })
    await new Promise(() => {}) // like a load that never finishes once its client died
  }
  throw new Error('the benchmark failed')
}
