import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { isRunning } from './processes.js'
import { runWorker } from './run-worker.js'

const here = dirname(fileURLToPath(import.meta.url))
const tmp = mkdtempSync(join(tmpdir(), 'baton-bench-processes-'))
const started: number[] = []
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true })
  // Should a test fail, what it started must not outlive it either.
  for (const pid of started.filter(isRunning)) process.kill(-pid, 'SIGKILL')
})

/** Waits (bounded) until the process is gone; true when it is. Not a timing assertion: the bound is generous. */
async function gone(pid: number): Promise<boolean> {
  for (let i = 0; i < 200 && isRunning(pid); i++) await new Promise((resolve) => setTimeout(resolve, 50))
  return !isRunning(pid)
}

function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })))
}

/** Starts processes.fixture.ts in `mode`; resolves with the fixture and the pid of the child it started. */
async function fixture(mode: string): Promise<{ process: ChildProcess; pid: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(here, 'processes.fixture.ts'), mode], {
    stdio: ['ignore', 'pipe', 'ignore'],
  })
  let out = ''
  for await (const chunk of child.stdout ?? []) {
    out += chunk
    if (out.includes('\n')) break
  }
  const pid = Number(out.trim())
  expect(pid).toBeGreaterThan(0)
  started.push(pid)
  return { process: child, pid }
}

describe('a process that started a group and ends without stopping it', () => {
  it.each(['throw', 'reject', 'exit'])('takes the group with it (%s)', async (mode) => {
    const { process: child, pid } = await fixture(mode)
    const end = exited(child)
    expect(isRunning(pid)).toBe(true)
    expect((await end).code).not.toBe(0)
    expect(await gone(pid)).toBe(true)
  })

  it('takes the group with it when it gets SIGTERM, and still dies of the signal', async () => {
    const { process: child, pid } = await fixture('wait')
    const end = exited(child)
    child.kill('SIGTERM')
    expect((await end).signal).toBe('SIGTERM')
    expect(await gone(pid)).toBe(true)
  })
})

describe('a failing benchmark run by the runner', () => {
  it.each(['throw', 'reject', 'sigkill'])('reports the failure and leaves no process running (%s)', async (mode) => {
    const pidFile = join(tmp, `${mode}.pid`)
    process.env.BENCH_FIXTURE_PID_FILE = pidFile
    process.env.BENCH_FIXTURE_MODE = mode
    try {
      const result = await runWorker(join(here, 'failing-benchmark.fixture.ts'), ['quick'])
      const pid = Number(readFileSync(pidFile, 'utf8'))
      expect(pid).toBeGreaterThan(0)
      started.push(pid)
      expect(result.rows).toBeUndefined()
      expect(result.error).toMatch(mode === 'sigkill' ? /SIGKILL/ : /failed|out of refresh tokens/)
      // A worker killed outright cannot clean up: the runner kills what it left.
      if (mode === 'sigkill') expect(result.leftovers).toEqual([pid])
      else expect(result.leftovers).toBeUndefined()
      expect(await gone(pid)).toBe(true)
    } finally {
      delete process.env.BENCH_FIXTURE_PID_FILE
      delete process.env.BENCH_FIXTURE_MODE
    }
  })
})
