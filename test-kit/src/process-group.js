// Child processes in process groups of their own: stopping one stops whatever it forked, and
// none outlives this process (an `exit` handler SIGKILLs what is still running).
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'

/** @type {Map<number, import('node:child_process').ChildProcess>} */
const running = new Map()
let hooked = false

/** @type {typeof import('./index.js').killGroup} */
export function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal)
  } catch {
    // already gone
  }
}

/** @type {typeof import('./index.js').killAllGroups} */
export function killAllGroups() {
  for (const pid of running.keys()) killGroup(pid, 'SIGKILL')
  running.clear()
}

/** @type {typeof import('./index.js').spawnGroup} */
export function spawnGroup(command, args, options = {}) {
  if (!hooked) {
    hooked = true
    process.on('exit', killAllGroups)
  }
  const child = spawn(command, args, { ...options, detached: true })
  const pid = child.pid
  if (pid !== undefined) {
    running.set(pid, child)
    child.once('exit', () => {
      // The leader is gone; a worker it forked may not be.
      killGroup(pid, 'SIGKILL')
      running.delete(pid)
    })
  }
  return child
}

/** @type {typeof import('./index.js').stopGroup} */
export function stopGroup(child, { graceMs = 5_000 } = {}) {
  return new Promise((resolve) => {
    const pid = child.pid
    if (pid === undefined) return resolve()
    if (child.exitCode !== null || child.signalCode !== null) {
      killGroup(pid, 'SIGKILL')
      return resolve()
    }
    const timer = setTimeout(() => killGroup(pid, 'SIGKILL'), graceMs)
    child.once('exit', () => {
      clearTimeout(timer)
      killGroup(pid, 'SIGKILL')
      resolve()
    })
    killGroup(pid, 'SIGTERM')
  })
}

/** @type {typeof import('./index.js').isRunning} */
export function isRunning(pid) {
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

/** @type {typeof import('./index.js').keepOutput} */
export function keepOutput(child) {
  let output = ''
  child.stdout?.on('data', (chunk) => {
    output += chunk
  })
  child.stderr?.on('data', (chunk) => {
    output += chunk
  })
  return () => output
}
