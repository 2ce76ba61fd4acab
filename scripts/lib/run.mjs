// Child-process helpers shared by the packaging scripts (smoke-packed, check-release).
import { execFileSync } from 'node:child_process'

/** Runs a command, returning stdout; on failure includes its output in the error. */
export function run(command, args, cwd, env = process.env) {
  try {
    return execFileSync(command, args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
  } catch (error) {
    const output = `${error.stdout ?? ''}${error.stderr ?? ''}`.trim()
    throw new Error(`\`${command} ${args.join(' ')}\` failed in ${cwd}\n${output}`)
  }
}

/** Runs pnpm: the one on PATH under `pnpm run`, otherwise the same pnpm as the README. */
export function pnpm(args, cwd) {
  const hasPnpm = process.env.npm_execpath?.includes('pnpm')
  return hasPnpm ? run('pnpm', args, cwd) : run('npx', ['--yes', 'pnpm@10', ...args], cwd)
}
