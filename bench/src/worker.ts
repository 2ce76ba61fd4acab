/**
 * Runs one benchmark file in a process of its own (the runner forks this), so
 * one benchmark's heap, JIT state and native handles never bias the next.
 * Sends `{ rows, env }` (or `{ error }`) to the runner over IPC, and exits;
 * whatever the benchmark started is stopped on the way out, on failure too.
 */
import { pathToFileURL } from 'node:url'
import { type BenchContext, type Benchmark, selects } from './harness.js'

export interface WorkerMessage {
  rows?: unknown[]
  env?: Record<string, string>
  error?: string
}

const [file, quick, ...filters] = process.argv.slice(2)
if (!file || !process.send) throw new Error('usage: forked by run.ts with a benchmark file')

const env: Record<string, string> = {}
const ctx: BenchContext = {
  log: (message) => process.stderr.write(`${message}\n`),
  env: (key, value) => {
    env[key] = value
  },
  quick: quick === 'quick',
  wants: (id) => selects(filters, id),
}

const describe = (error: unknown) => (error instanceof Error ? (error.stack ?? error.message) : String(error))
let sent = false
/** Reports once and exits; the exit stops every process the benchmark started (`lib/processes.ts`). */
function finish(message: WorkerMessage): void {
  if (sent) return
  sent = true
  process.send?.(message, () => process.exit(message.error ? 1 : 0))
}
// An exception thrown in an event handler (a socket's, autocannon's `setupRequest`…) never reaches the
// benchmark's `finally` blocks: report it as the benchmark's failure instead of dying without a word.
process.on('uncaughtException', (error) => finish({ error: `uncaught: ${describe(error)}` }))
process.on('unhandledRejection', (error) => finish({ error: `unhandled rejection: ${describe(error)}` }))

try {
  const mod = (await import(pathToFileURL(file).href)) as { default?: Benchmark }
  if (typeof mod.default !== 'function') throw new Error(`${file} has no default export function`)
  finish({ rows: await mod.default(ctx), env })
} catch (error) {
  finish({ error: describe(error) })
}
