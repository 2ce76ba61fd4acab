import { type ChildProcess, fork } from 'node:child_process'
import { once } from 'node:events'
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import type { WorkerCommand, WorkerReport } from './race-worker.fixture.js'

const here = dirname(fileURLToPath(import.meta.url))
const workerScript = join(here, 'race-worker.fixture.ts')
// Resolved to a file URL so the child finds tsx whatever its cwd.
const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href

/** A real OS process running race-worker.fixture.ts, driven over IPC. */
export interface WorkerProcess {
  readonly pid: number
  send(command: WorkerCommand): void
  /** The next report, in order; rejects when the process dies or stays silent for `timeoutMs`. */
  next<T extends WorkerReport['type']>(type: T, timeoutMs?: number): Promise<Extract<WorkerReport, { type: T }>>
  /** Asks the process to close its database and exit; resolves with its exit code. */
  close(): Promise<number | null>
  /** Kills the process (after a failed start). */
  kill(): void
}

/** Forks a worker: `node --conditions=@baton/source --import tsx race-worker.fixture.ts`. */
export function startWorker(): WorkerProcess {
  const child: ChildProcess = fork(workerScript, [], {
    execPath: process.execPath,
    execArgv: ['--conditions=@baton/source', '--import', tsxLoader],
    cwd: resolve(here, '..'),
    env: { ...process.env, BATON_RACE_WORKER: '1' },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  })
  let output = ''
  child.stdout?.on('data', (chunk) => {
    output += chunk
  })
  child.stderr?.on('data', (chunk) => {
    output += chunk
  })
  const inbox: WorkerReport[] = []
  let waiter: { resolve(report: WorkerReport): void; reject(error: Error): void } | undefined
  let death: Error | undefined
  let closing = false
  child.on('message', (report: WorkerReport) => {
    const w = waiter
    waiter = undefined
    if (w) w.resolve(report)
    else inbox.push(report)
  })
  child.on('exit', (code, signal) => {
    if (closing && code === 0) return
    death = new Error(`worker ${child.pid} exited (code ${code}, signal ${signal}):\n${output}`)
    waiter?.reject(death)
    waiter = undefined
  })

  return {
    pid: child.pid ?? -1,
    send(command) {
      if (death) throw death
      child.send(command)
    },
    next(type, timeoutMs = 20_000) {
      const check = (report: WorkerReport) => {
        if (report.type !== type)
          throw new Error(`worker ${child.pid}: expected ${type}, got ${JSON.stringify(report)}`)
        return report as Extract<WorkerReport, { type: typeof type }>
      }
      const queued = inbox.shift()
      if (queued) return Promise.resolve(queued).then(check)
      if (death) return Promise.reject(death)
      return new Promise<WorkerReport>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiter = undefined
          reject(new Error(`worker ${child.pid} sent no ${type} report within ${timeoutMs} ms:\n${output}`))
        }, timeoutMs)
        waiter = {
          resolve: (report) => {
            clearTimeout(timer)
            resolve(report)
          },
          reject: (error) => {
            clearTimeout(timer)
            reject(error)
          },
        }
      }).then(check)
    },
    kill() {
      closing = true
      child.kill('SIGKILL')
    },
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode
      closing = true
      const exited = once(child, 'exit')
      child.send({ type: 'close' })
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
      const [code] = (await exited) as [number | null]
      clearTimeout(timer)
      return code
    },
  }
}

/** Starts `count` workers at once (tsx start-up dominates; they load in parallel) and waits until each has loaded. */
export async function startWorkers(count: number): Promise<WorkerProcess[]> {
  const workers = Array.from({ length: count }, () => startWorker())
  try {
    await Promise.all(workers.map((w) => w.next('started', 30_000)))
  } catch (error) {
    for (const w of workers) w.kill()
    throw error
  }
  return workers
}
