/**
 * Runs one benchmark file in a fresh Node process (`src/worker.ts`, forked
 * with `--expose-gc`, TypeScript through tsx), so one benchmark's heap, JIT
 * state and native handles never bias the next. Resolves with the worker's
 * `{ rows, env }` or `{ error }`; never rejects. Once the worker has exited,
 * any process group it started and did not stop (a worker killed with
 * SIGKILL runs no exit handler) is killed, and the result says so.
 */
import { fork } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { WorkerMessage } from '../worker.js'
import { trackGroups } from './processes.js'

const WORKER = join(dirname(fileURLToPath(import.meta.url)), '..', 'worker.ts')

export interface WorkerResult extends WorkerMessage {
  /** Pids of process groups the worker left running, killed after it exited. */
  leftovers?: number[]
}

export function runWorker(benchmarkFile: string, args: readonly string[]): Promise<WorkerResult> {
  return new Promise((resolve) => {
    let message: WorkerMessage | undefined
    const child = fork(WORKER, [benchmarkFile, ...args], {
      // The same way the runner is started: TypeScript from source through tsx.
      execArgv: ['--conditions=@baton/source', '--import', 'tsx', '--expose-gc'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    })
    const sweep = trackGroups(child)
    child.on('message', (m: WorkerMessage) => {
      if (m && ('rows' in m || 'error' in m)) message = m
    })
    child.on('exit', async (code, signal) => {
      const leftovers = await sweep()
      const result: WorkerResult = message ?? { error: `worker exited with ${signal ?? code} before reporting` }
      resolve(leftovers.length > 0 ? { ...result, leftovers } : result)
    })
  })
}
