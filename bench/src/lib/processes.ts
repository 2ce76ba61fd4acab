/**
 * Child processes a benchmark starts (`next start`, `next build`, `tsdown`),
 * each in a process group of its own so that stopping it stops whatever it
 * forked, and none of them outliving the benchmark, however it ends:
 *
 * - `stopGroup` is the orderly stop (SIGTERM, SIGKILL after 5 s), for
 *   `finally` blocks;
 * - when the process exits with groups still running (an exception thrown in
 *   an event handler, e.g. in autocannon's `setupRequest`, skips every
 *   `finally`), an `exit` handler SIGKILLs them, and SIGINT, SIGTERM and SIGHUP
 *   do the same before the process dies of the signal;
 * - in a worker forked by the runner, each group's pid is reported over IPC
 *   (`{ spawned }`, then `{ stopped }`), so the runner can kill what a worker
 *   killed with SIGKILL left behind ({@link killLeftovers}).
 */
import { type ChildProcess, type SpawnOptions, spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'

/** Messages a worker sends its runner about the groups it started. */
export interface GroupMessage {
  spawned?: number
  stopped?: number
}

const running = new Map<number, ChildProcess>()
let installed = false

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal)
  } catch {
    // already gone
  }
}

function report(message: GroupMessage): void {
  if (process.send && process.connected) {
    try {
      process.send(message)
    } catch {
      // the runner is gone; the exit handler still kills the group
    }
  }
}

/** SIGKILLs every group still running; synchronous, so it also works in an `exit` handler. */
export function killAllGroups(): void {
  for (const pid of running.keys()) killGroup(pid, 'SIGKILL')
  running.clear()
}

function install(): void {
  if (installed) return
  installed = true
  process.on('exit', killAllGroups)
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      killAllGroups()
      // The listener is gone (`once`): the default action ends the process with this signal.
      process.kill(process.pid, signal)
    })
  }
}

/** `spawn` in a new process group that is stopped when this process ends, if not before. */
export function spawnGroup(command: string, args: readonly string[], options: SpawnOptions = {}): ChildProcess {
  install()
  const child = spawn(command, args, { ...options, detached: true })
  const pid = child.pid
  if (pid !== undefined) {
    running.set(pid, child)
    report({ spawned: pid })
    child.once('exit', () => {
      // The leader is gone; kill the rest of its group too, then forget it.
      killGroup(pid, 'SIGKILL')
      running.delete(pid)
      report({ stopped: pid })
    })
  }
  return child
}

/** Stops a group started by {@link spawnGroup}: SIGTERM, then SIGKILL after 5 s; resolves once the leader exited. */
export function stopGroup(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return resolve()
    const pid = child.pid
    const timer = setTimeout(() => killGroup(pid, 'SIGKILL'), 5_000)
    child.once('exit', () => {
      clearTimeout(timer)
      killGroup(pid, 'SIGKILL')
      resolve()
    })
    killGroup(pid, 'SIGTERM')
  })
}

/** Whether a process runs (a zombie, dead but not yet reaped by its new parent, does not). */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0)
  } catch {
    return false
  }
  try {
    // /proc/<pid>/stat: "pid (comm) S …"; comm may contain spaces and parentheses.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z'
  } catch {
    return true // no /proc (macOS): kill(0) said it exists
  }
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
