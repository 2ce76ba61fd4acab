import { createRequire } from 'node:module'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { Worker } from 'node:worker_threads'
import type Database from 'better-sqlite3'

/** How often the worker copies the WAL into the database file. */
const CHECKPOINT_INTERVAL_MS = 200

/**
 * The worker (CommonJS, evaluated): its own connection to the file, a
 * PASSIVE checkpoint every interval (it never waits for, nor blocks, a
 * reader or writer), closed on 'stop'. A failed checkpoint (another process
 * checkpointing, a full disk) is left to the next one: the committing
 * connection's own automatic checkpoint still bounds the WAL. A file gone
 * before the worker could open it (a short-lived database in a temporary
 * folder) leaves nothing to checkpoint: the worker just ends.
 */
const WORKER_SOURCE = `
const { existsSync } = require('node:fs')
const { parentPort, workerData } = require('node:worker_threads')
const Database = require(workerData.driver)
let db = null
try {
  db = new Database(workerData.file, { fileMustExist: true, timeout: workerData.busyTimeout })
} catch (error) {
  if (existsSync(workerData.file)) throw error
}
if (db === null) {
  parentPort.close()
} else {
  const timer = setInterval(() => {
    try { db.pragma('wal_checkpoint(PASSIVE)') } catch {}
  }, workerData.intervalMs)
  parentPort.on('message', (message) => {
    if (message !== 'stop') return
    clearInterval(timer)
    db.close()
    parentPort.close()
  })
}
`

const INLINE = 'SQLite checkpoints stay on the connection that commits (as SQLite does by default)'

interface Checkpointer {
  worker: Worker
  /** The open connections of this process to the file; the worker stops when the last one closes. */
  connections: Set<Database.Database>
}

// One checkpointer per file and process, kept across module reloads (Next's dev server re-evaluates modules).
const REGISTRY = Symbol.for('@baton/drizzle.sqlite-checkpointers')
const holder = globalThis as { [REGISTRY]?: Map<string, Checkpointer> }
holder[REGISTRY] ??= new Map()
const registry: Map<string, Checkpointer> = holder[REGISTRY]

/** better-sqlite3's entry point, for the worker to load (null when it cannot be found). */
function driverPath(): string | null {
  for (const base of [import.meta.url, pathToFileURL(join(process.cwd(), 'index.js')).href]) {
    try {
      return createRequire(base).resolve('better-sqlite3')
    } catch {
      // try the next base
    }
  }
  return null
}

/**
 * Checkpoints a WAL database file from a worker thread, so that copying the
 * WAL into the database and the two `fsync`s that go with it happen off the
 * event loop. SQLite's automatic checkpoint runs on the connection that
 * commits, synchronously: on a busy server it stalled the event loop for
 * 20–70 ms every ~1,400 rotations. The connection keeps its own automatic
 * checkpoint (it bounds the WAL's size: only a checkpoint between two of its
 * own commits lets the WAL start over), which now finds almost everything
 * already copied. Returns false (and changes nothing) where no worker can
 * start: in-memory or read-only connections, or better-sqlite3 not
 * resolvable (said on the console, as is a worker that fails later).
 */
export function startBackgroundCheckpoint(
  sqlite: Database.Database,
  options: {
    busyTimeout: number
    /** better-sqlite3's entry point for the worker (default: resolved from here, then from the working directory). */
    driver?: string
  },
): boolean {
  if (sqlite.memory || sqlite.readonly || !sqlite.open) return false
  const file = resolve(sqlite.name)
  let checkpointer = registry.get(file)
  if (!checkpointer) {
    const driver = options.driver ?? driverPath()
    if (!driver) {
      console.warn(`[baton] ${INLINE}: the checkpoint worker could not find better-sqlite3.`)
      return false
    }
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        driver,
        file,
        busyTimeout: options.busyTimeout,
        intervalMs: CHECKPOINT_INTERVAL_MS,
      },
    })
    worker.unref() // never keeps the process alive
    const started: Checkpointer = { worker, connections: new Set() }
    // A worker that fails (it could not load the driver or open the file) leaves checkpoints to the connections.
    worker.on('error', (error) => {
      if (registry.get(file) !== started) return // stopped already: its connections are closed
      registry.delete(file)
      console.warn(`[baton] ${INLINE}: the checkpoint worker failed.`, error)
    })
    worker.on('exit', () => {
      if (registry.get(file) === started) registry.delete(file)
    })
    registry.set(file, started)
    checkpointer = started
  }
  checkpointer.connections.add(sqlite)
  stopWithLastClose(sqlite, file, checkpointer)
  return true
}

/**
 * Wraps the connection's `close` so that the last connection to close stops
 * the worker — after it has closed, not before. SQLite removes the WAL when
 * the last connection to the file closes: told first, the worker closed its
 * own connection at the same moment on its thread, each saw the other still
 * open, and the WAL stayed behind.
 */
function stopWithLastClose(sqlite: Database.Database, file: string, checkpointer: Checkpointer): void {
  const close = sqlite.close
  sqlite.close = function closeAndStopCheckpoints(this: Database.Database) {
    const closed = close.call(this) // throws, leaving it open, while one of its statements iterates
    checkpointer.connections.delete(sqlite)
    if (checkpointer.connections.size === 0 && registry.get(file) === checkpointer) {
      registry.delete(file)
      checkpointer.worker.postMessage('stop')
    }
    return closed
  }
}
