import { resolve } from 'node:path'
import { InitError } from './detect-project.js'
import { init } from './init.js'
import { formatReport } from './report.js'
import { generateSecret } from './secret.js'

/** Options of {@link main}: the arguments after the command name, and where output goes. */
export interface MainOptions {
  argv: readonly string[]
  cwd: string
  stdout?: (line: string) => void
  stderr?: (line: string) => void
}

const USAGE = `Usage: npx @baton/next <command>

  init [dir] [--force]  set Baton up in the Next.js app in dir (default: here);
                        --force replaces generated files you changed (never .env.local's secret)
  secret                print a new BATON_SECRET (32 random bytes, base64url)`

/** Runs the CLI and returns its exit code: 0 done (skipped files included), 1 error. */
export function main({ argv, cwd, stdout = console.log, stderr = console.error }: MainOptions): number {
  const [command, ...rest] = argv
  if (command === 'secret' && rest.length === 0) {
    stdout(generateSecret())
    return 0
  }
  if (command === 'help' || command === '--help' || command === '-h') {
    stdout(USAGE)
    return 0
  }
  if (command !== 'init') {
    stderr(command === undefined ? USAGE : `Unknown command or option: ${argv.join(' ')}\n\n${USAGE}`)
    return 1
  }
  const force = rest.includes('--force')
  const positional = rest.filter((arg) => arg !== '--force')
  if (positional.length > 1 || positional.some((arg) => arg.startsWith('-'))) {
    stderr(`Unknown option: ${positional.join(' ')}\n\n${USAGE}`)
    return 1
  }
  try {
    for (const line of formatReport(init({ root: resolve(cwd, positional[0] ?? '.'), force }))) stdout(line)
    return 0
  } catch (error) {
    // An app that is not one init can work in says why; anything else (permissions, disk) too.
    stderr(`baton init: ${error instanceof InitError ? '' : 'failed: '}${(error as Error).message}`)
    return 1
  }
}
