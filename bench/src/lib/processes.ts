/**
 * Child processes a benchmark starts (`next start`, `next build`, `tsdown`),
 * each in a process group of its own so that stopping it stops whatever it
 * forked, and none of them outliving the benchmark, however it ends:
 *
 * - `stopGroup` (from @baton/test-kit) is the orderly stop (SIGTERM, SIGKILL
 *   after 5 s), for `finally` blocks;
 * - when the process exits with groups still running (an exception thrown in
 *   an event handler, e.g. in autocannon's `setupRequest`, skips every
 *   `finally`), an `exit` handler SIGKILLs them, and SIGINT, SIGTERM and SIGHUP
 *   do the same before the process dies of the signal;
 * - in a worker forked by the runner, each group's pid is reported over IPC
 *   (`{ spawned }`, then `{ stopped }`), so the runner can kill what a worker
 *   killed with SIGKILL left behind ({@link killLeftovers}).
 */
import type { ChildProcess, SpawnOptions } from 'node:child_process'
import { isRunning, killAllGroups, killGroup, spawnGroup as spawnKitGroup } from '@baton/test-kit'

export { isRunning, killAllGroups, stopGroup } from '@baton/test-kit'

/** Messages a worker sends its runner about the groups it started. */
export interface GroupMessage {
  spawned?: number
  stopped?: number
}

let installed = false

function report(message: GroupMessage): void {
  if (process.send && process.connected) {
    try {
      process.send(message)
    } catch {
      // the runner is gone; the exit handler still kills the group
    }
  }
}

function install(): void {
  if (installed) return
  installed = true
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      killAllGroups()
      // The listener is gone (`once`): the default action ends the process with this signal.
      process.kill(process.pid, signal)
    })
  }
}

/**
 * `spawn` in a new process group that is stopped when this process ends, if not before
 * (@baton/test-kit's `spawnGroup`, which SIGKILLs what is left at `exit`, plus the signals and
 * the reports to the runner).
 */
export function spawnGroup(command: string, args: readonly string[], options: SpawnOptions = {}): ChildProcess {
  install()
  const child = spawnKitGroup(command, args, options)
  const pid = child.pid
  if (pid !== undefined) {
    report({ spawned: pid })
    child.once('exit', () => report({ stopped: pid }))
  }
  return child
}

/**
 * For the runner: follows a forked worker's `{ spawned, stopped }` messages
 * and returns a function to call once the worker exited: it SIGKILLs the
 * groups the worker started and did not report stopped, and resolves with the
 * pids of those still running after a grace period (the worker's own exit
 * handler SIGKILLs them too, but the signal may land after the worker is gone).
 */
export function trackGroups(worker: ChildProcess, graceMs = 1_000): () => Promise<number[]> {
  const pids = new Set<number>()
  worker.on('message', (m: GroupMessage) => {
    if (typeof m?.spawned === 'number') pids.add(m.spawned)
    if (typeof m?.stopped === 'number') pids.delete(m.stopped)
  })
  return async () => {
    const tracked = [...pids]
    pids.clear()
    for (let waited = 0; waited < graceMs && tracked.some(isRunning); waited += 50) {
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    const left = tracked.filter(isRunning)
    for (const pid of tracked) killGroup(pid, 'SIGKILL')
    return left
  }
}
