import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { closeSync, existsSync, mkdtempSync, openSync, readSync, rmSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { startBackgroundCheckpoint } from './background-checkpoint.js'
import { type OpenSqliteOptions, openSqliteDatabase } from './open-database.js'

const here = dirname(fileURLToPath(import.meta.url))
let dir: string

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'baton-checkpoint-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

/** Opens a file whose connection never checkpoints by itself, and writes ~2 MB to its WAL. */
function openAndWrite(file: string, options: OpenSqliteOptions = {}) {
  const db = openSqliteDatabase(file, options)
  db.$client.pragma('wal_autocheckpoint = 0')
  db.$client.exec('CREATE TABLE IF NOT EXISTS t (x BLOB)')
  const insert = db.$client.prepare('INSERT INTO t VALUES (randomblob(2000))')
  for (let i = 0; i < 1000; i++) insert.run()
  return db
}

/** The WAL header's checkpoint sequence number: SQLite increments it each time the WAL starts over. */
function walSequence(file: string): number {
  const header = Buffer.alloc(16)
  const fd = openSync(`${file}-wal`, 'r')
  try {
    readSync(fd, header, 0, 16, 0)
  } finally {
    closeSync(fd)
  }
  return header.readUInt32BE(12)
}

/** Polls until `condition` holds; false after `ms`. */
async function eventually(condition: () => boolean, ms = 5000): Promise<boolean> {
  const deadline = Date.now() + ms
  while (Date.now() < deadline) {
    if (condition()) return true
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
  return condition()
}

describe('background checkpoints', () => {
  it('copy the WAL into the database file without the connection checkpointing', async () => {
    const file = join(dir, 'app.db')
    const db = openAndWrite(file)
    const before = statSync(file).size
    expect(await eventually(() => statSync(file).size > before + 1_000_000)).toBe(true)
    // Nothing was lost on the way: the connection reads every row.
    expect(db.$client.prepare('SELECT count(*) FROM t').pluck().get()).toBe(1000)
    db.$client.close()
  })

  it('let the WAL start over after a burst, long before the connection would checkpoint by itself', async () => {
    for (const checkpoint of ['background', 'inline'] as const) {
      const file = join(dir, `${checkpoint}.db`)
      const db = openSqliteDatabase(file, { checkpoint })
      expect(db.$client.pragma('wal_autocheckpoint', { simple: true })).toBe(checkpoint === 'inline' ? 10_000 : 40_000)
      db.$client.exec('CREATE TABLE t (x BLOB)')
      const insert = db.$client.prepare('INSERT INTO t VALUES (randomblob(2000))')
      for (let i = 0; i < 2000; i++) insert.run() // a burst: ~2,000 WAL frames, far below either bound
      const before = walSequence(file)
      // Once the worker has copied every frame, the next commit starts the WAL over (a new header, sequence + 1).
      // (Inline, 1.5 s show that it never does; the worker gets 10 s on a loaded machine.)
      const restarted = await eventually(
        () => {
          insert.run()
          return walSequence(file) > before
        },
        checkpoint === 'background' ? 10_000 : 1500,
      )
      expect(restarted, checkpoint).toBe(checkpoint === 'background')
      expect(db.$client.prepare('SELECT count(*) FROM t').pluck().get()).toBeGreaterThan(2000)
      db.$client.close()
    }
  })

  it("'inline' leaves checkpoints to the committing connection", async () => {
    const file = join(dir, 'app.db')
    const db = openAndWrite(file, { checkpoint: 'inline' })
    const before = statSync(file).size
    await new Promise((resolve) => setTimeout(resolve, 600)) // three of the worker's intervals
    expect(statSync(file).size).toBe(before)
    db.$client.close()
  })

  it("stop with the last connection to the file: its close removes the WAL (the worker's connection closed too)", async () => {
    const file = join(dir, 'app.db')
    const first = openAndWrite(file)
    const second = openSqliteDatabase(file)
    first.$client.close()
    // The worker still runs for `second`.
    second.$client.pragma('wal_autocheckpoint = 0')
    const before = statSync(file).size
    second.$client.prepare('INSERT INTO t SELECT randomblob(2000) FROM t').run()
    expect(await eventually(() => statSync(file).size > before + 1_000_000)).toBe(true)
    second.$client.close()
    // SQLite deletes the WAL when the last connection to the file closes.
    expect(await eventually(() => !existsSync(`${file}-wal`))).toBe(true)
  })

  it('tell the worker to stop only once the last connection has closed (told before, both could see the other open)', () => {
    const file = join(dir, 'app.db')
    const db = openSqliteDatabase(file)
    const registry = (globalThis as Record<symbol, Map<string, { worker: { postMessage(m: unknown): void } }>>)[
      Symbol.for('@baton/drizzle.sqlite-checkpointers')
    ]
    const worker = registry?.get(file)?.worker
    if (!worker) throw new Error('no checkpoint worker for the file')
    const openWhenTold: boolean[] = []
    const postMessage = worker.postMessage.bind(worker)
    worker.postMessage = (message) => {
      openWhenTold.push(db.$client.open)
      postMessage(message)
    }
    db.$client.close()
    expect(openWhenTold).toEqual([false])
  })

  it('are not started for in-memory or read-only connections', () => {
    const memory = new Database(':memory:')
    expect(startBackgroundCheckpoint(memory, { busyTimeout: 100 })).toBe(false)
    memory.close()
    const file = join(dir, 'app.db')
    openSqliteDatabase(file).$client.close()
    const readonly = new Database(file, { readonly: true })
    expect(startBackgroundCheckpoint(readonly, { busyTimeout: 100 })).toBe(false)
    readonly.close()
  })

  it('say so when the worker fails, and leave checkpoints to the connection until the next opening', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    try {
      const file = join(dir, 'app.db')
      const db = openSqliteDatabase(file, { checkpoint: 'inline' })
      const driver = join(dir, 'no-such-driver.js')
      expect(startBackgroundCheckpoint(db.$client, { busyTimeout: 100, driver })).toBe(true)
      expect(await eventually(() => warn.mock.calls.length > 0)).toBe(true)
      expect(String(warn.mock.calls[0]?.[0])).toContain(
        '[baton] SQLite checkpoints stay on the connection that commits',
      )
      db.$client.close()
      // The failed worker is forgotten: the next connection to the file gets one that works.
      const again = openAndWrite(file)
      const before = statSync(file).size
      expect(await eventually(() => statSync(file).size > before + 1_000_000)).toBe(true)
      again.$client.close()
    } finally {
      warn.mockRestore()
    }
  })

  it('end quietly when the file is gone before the worker opens it (a temporary database)', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    try {
      const db = openSqliteDatabase(join(dir, 'app.db'))
      rmSync(dir, { recursive: true, force: true }) // before the worker has started
      await new Promise((resolve) => setTimeout(resolve, 500))
      expect(warn).not.toHaveBeenCalled()
      db.$client.close()
    } finally {
      warn.mockRestore()
    }
  })

  it('never keep the process alive', async () => {
    const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href
    const module = pathToFileURL(join(here, 'open-database.ts')).href
    // Opens a database, writes, and ends its script without closing anything.
    const script = `
      const { openSqliteDatabase } = await import(${JSON.stringify(module)})
      const db = openSqliteDatabase(${JSON.stringify(join(dir, 'app.db'))})
      db.$client.exec('CREATE TABLE t (x); INSERT INTO t VALUES (1)')
      console.log('written')
    `
    const child = spawn(
      process.execPath,
      ['--conditions=@baton/source', '--import', tsx, '--input-type=module', '-e', script],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    )
    let output = ''
    child.stdout.on('data', (chunk) => {
      output += chunk
    })
    const timer = setTimeout(() => child.kill(), 15_000)
    const [code] = await once(child, 'exit')
    clearTimeout(timer)
    expect(output).toContain('written')
    expect(code).toBe(0)
  })
})
