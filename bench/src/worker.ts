/**
 * Runs one benchmark file in a process of its own (the runner forks this), so
 * one benchmark's heap, JIT state and native handles never bias the next.
 * Sends `{ rows, env }` to the runner over IPC.
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

let message: WorkerMessage
try {
  const mod = (await import(pathToFileURL(file).href)) as { default?: Benchmark }
  if (typeof mod.default !== 'function') throw new Error(`${file} has no default export function`)
  message = { rows: await mod.default(ctx), env }
} catch (error) {
  message = { error: error instanceof Error ? (error.stack ?? error.message) : String(error) }
}
process.send(message, () => process.exit(message.error ? 1 : 0))
