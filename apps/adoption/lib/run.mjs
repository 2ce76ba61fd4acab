// Small process helpers for the adoption test: run a command; `next start`, free ports and
// servers in their own process group come from @baton/test-kit.
import { execFileSync } from 'node:child_process'
import { runCommand, startNext as startNextServer } from '@baton/test-kit'

export { freePort, startServer } from '@baton/test-kit'

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
  return runCommand(command, args, { cwd, env })
}

/**
 * `next start -H 127.0.0.1 -p <port>` in `cwd` (with `env` added); resolves once `/login` answers
 * with a 2xx status. See @baton/test-kit's startNext.
 */
export function startNext(cwd, port, env = {}) {
  return startNextServer({ cwd, port, env, ready: '/login' })
}
