// Small process helpers for the adoption test: run a command, start `next start`, find a free port.
import { execFileSync, spawn } from 'node:child_process'
import { createServer } from 'node:net'

/** Runs a command; returns stdout + stderr. On failure the error carries the whole output. */
export function run(command, args, { cwd, env = {} } = {}) {
  try {
    return execFileSync(command, args, {
      cwd,
      env: { ...process.env, ...env },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 64 * 1024 * 1024,
    })
  } catch (error) {
    const output = `${error.stdout ?? ''}${error.stderr ?? ''}`.trim()
    throw new Error(`\`${command} ${args.join(' ')}\` failed in ${cwd}\n${output}`)
  }
}

/**
 * Runs a command without blocking this process (servers here keep answering); resolves to its
 * stdout and stderr interleaved, as a user reads them in a terminal. Rejects with it on failure.
 */
export function runCombined(command, args, { cwd, env = {} } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (chunk) => (output += chunk))
    child.stderr.on('data', (chunk) => (output += chunk))
    child.once('error', reject)
    child.once('close', (code) => {
      if (code === 0) resolve(output)
      else reject(new Error(`\`${command} ${args.join(' ')}\` exited with ${code} in ${cwd}\n${output.trim()}`))
    })
  })
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })
}

/**
 * `next start -H 127.0.0.1 -p <port>` in `cwd` (with `env` added); resolves once `/login` answers
 * 200. See startServer.
 */
export function startNext(cwd, port, env = {}) {
  return startServer({
    name: 'next start',
    command: process.execPath,
    args: ['node_modules/next/dist/bin/next', 'start', '-H', '127.0.0.1', '-p', `${port}`],
    cwd,
    env: { NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1', ...env },
    url: `http://127.0.0.1:${port}`,
    ready: '/login',
  })
}

/**
 * Starts a server in its own process group and resolves once `url + ready` answers 200 (60 s at
 * most). `stop()` ends the group (SIGTERM, then SIGKILL after 5 s); `output()` is its log.
 */
export async function startServer({ name, command, args, cwd, env = {}, url, ready }) {
  const child = spawn(command, args, {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  })
  let log = ''
  child.stdout.on('data', (chunk) => (log += chunk))
  child.stderr.on('data', (chunk) => (log += chunk))
  const exited = new Promise((resolve) => child.once('exit', resolve))
  const signal = (name) => {
    try {
      process.kill(-child.pid, name)
    } catch {
      // already gone
    }
  }
  const server = {
    url,
    output: () => log,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return
      signal('SIGTERM')
      const timer = new Promise((resolve) => setTimeout(resolve, 5_000, 'timeout'))
      if ((await Promise.race([exited, timer])) === 'timeout') signal('SIGKILL')
    },
  }
  const deadline = Date.now() + 60_000
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break
    const ok = await fetch(`${url}${ready}`).then(
      (response) => response.ok,
      () => false,
    )
    if (ok) return server
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  await server.stop()
  throw new Error(`${name} did not serve ${ready} within 60 s\n--- its output ---\n${log}`)
}
