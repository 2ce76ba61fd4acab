import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { chromiumLaunchOptions, distIsStale, freePort, isRunning, listFiles, runCommand, startServer } from './index.js'

// A server on PORT that also forks a grandchild (printing its pid), as `next start` forks workers.
const SERVER = `
const { spawn } = require('node:child_process')
const grandchild = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' })
console.log('grandchild ' + grandchild.pid)
require('node:http').createServer((req, res) => res.end('ok')).listen(Number(process.env.PORT), '127.0.0.1')
`

describe('freePort', () => {
  it('returns a port this process can listen on', async () => {
    const port = await freePort()
    const server = createServer()
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', resolve))
    await new Promise((resolve) => server.close(resolve))
  })
})

describe('startServer', () => {
  it('resolves once the server answers, keeps its output, and stop() ends its whole group', async () => {
    const port = await freePort()
    const server = await startServer({
      name: 'node server',
      command: process.execPath,
      args: ['-e', SERVER],
      cwd: process.cwd(),
      env: { PORT: String(port) },
      url: `http://127.0.0.1:${port}`,
    })
    expect(await (await fetch(server.url)).text()).toBe('ok')
    await expect.poll(() => server.output()).toMatch(/grandchild \d+/)
    const grandchild = Number(/grandchild (\d+)/.exec(server.output())?.[1])
    expect(isRunning(grandchild)).toBe(true)
    await server.stop()
    expect(isRunning(server.pid)).toBe(false)
    await expect.poll(() => isRunning(grandchild)).toBe(false)
  })

  it('rejects with the output when the server exits before it answers', async () => {
    const start = startServer({
      name: 'failing',
      command: process.execPath,
      args: ['-e', 'console.error("no database"); process.exit(3)'],
      cwd: process.cwd(),
      url: `http://127.0.0.1:${await freePort()}`,
    })
    await expect(start).rejects.toThrow(/failing exited \(3\) before it answered \/[\s\S]*no database/)
  })

  it('rejects, and stops the server, when it does not answer in time', async () => {
    const start = startServer({
      name: 'silent',
      command: process.execPath,
      args: ['-e', 'console.log("pid " + process.pid); setInterval(() => {}, 1000)'],
      cwd: process.cwd(),
      url: `http://127.0.0.1:${await freePort()}`,
      ready: '/health',
      timeoutMs: 500,
    })
    const error: Error = await start.then(
      () => new Error('started'),
      (e: Error) => e,
    )
    expect(error.message).toMatch(/silent did not answer \/health within 0.5 s/)
    const pid = Number(/pid (\d+)/.exec(error.message)?.[1])
    expect(pid).toBeGreaterThan(0)
    expect(isRunning(pid)).toBe(false)
  })
})

describe('chromiumLaunchOptions', () => {
  it("is Debian's Chromium unless CHROMIUM_PATH names another", () => {
    const saved = process.env.CHROMIUM_PATH
    try {
      delete process.env.CHROMIUM_PATH
      expect(chromiumLaunchOptions().executablePath).toBe('/usr/bin/chromium')
      process.env.CHROMIUM_PATH = '/opt/chromium'
      expect(chromiumLaunchOptions()).toMatchObject({ executablePath: '/opt/chromium' })
      expect(chromiumLaunchOptions().args).toContain('--no-sandbox')
    } finally {
      if (saved === undefined) delete process.env.CHROMIUM_PATH
      else process.env.CHROMIUM_PATH = saved
    }
  })
})

describe('runCommand', () => {
  it('resolves with stdout and stderr', async () => {
    const output = await runCommand(process.execPath, ['-e', 'console.log("out"); console.error(process.env.WHO)'], {
      cwd: process.cwd(),
      env: { WHO: 'err' },
    })
    // Two pipes: their order may vary, not their content.
    expect(output.split('\n').sort()).toEqual(['', 'err', 'out'])
  })

  it('rejects with the command, its exit code and its output', async () => {
    const run = runCommand(process.execPath, ['-e', 'console.log("half done"); process.exit(2)'], { cwd: '/' })
    await expect(run).rejects.toThrow(/` in \/ failed \(2\):\nhalf done$/)
  })
})

describe('listFiles and distIsStale', () => {
  it('sees a dist older than a source file as stale, and tests as no input', () => {
    const dir = mkdtempSync(join(tmpdir(), 'baton-test-kit-'))
    try {
      const at = (file: string, seconds: number) => {
        mkdirSync(join(dir, file, '..'), { recursive: true })
        writeFileSync(join(dir, file), '')
        utimesSync(join(dir, file), seconds, seconds)
      }
      expect(distIsStale(dir)).toBe(true) // no dist
      at('src/index.ts', 1_000)
      at('src/index.test.ts', 3_000)
      at('dist/index.js', 2_000)
      expect(
        listFiles(dir, (path) => path.endsWith('dist'))
          .map((f) => f.slice(dir.length))
          .sort(),
      ).toEqual(['/src/index.test.ts', '/src/index.ts'])
      expect(distIsStale(dir)).toBe(false)
      at('package.json', 2_500)
      expect(distIsStale(dir)).toBe(true)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
