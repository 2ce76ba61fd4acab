/**
 * The suite runner (`pnpm bench`). Runs every file in src/benchmarks/, each in
 * a fresh Node process, prints a Markdown table and writes
 * results/latest.{json,md,svg}.
 *
 *   pnpm bench                     all benchmarks, writes results/
 *   pnpm bench rotate-sqlite       only ids starting with a filter; prints, writes nothing
 *   pnpm bench --quick             shorter rounds to check a benchmark works; writes nothing
 *   pnpm bench … --write           write results/ even for a filtered or quick run
 *   pnpm bench … --check           exit 1 when a figure misses its target
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type ResultRow, selects } from './harness.js'
import { runWorker } from './lib/run-worker.js'
import { describeMachine } from './machine.js'
import { markdownReport, markdownTable, svgChart } from './report.js'

const here = dirname(fileURLToPath(import.meta.url))
const benchDir = join(here, '..')
const resultsDir = join(benchDir, 'results')

const args = process.argv.slice(2)
const flags = new Set(args.filter((a) => a.startsWith('--')))
const filters = args.filter((a) => !a.startsWith('--'))
for (const flag of flags) {
  if (!['--quick', '--write', '--check'].includes(flag)) {
    console.error(`unknown option ${flag}; use --quick, --write, --check and id filters`)
    process.exit(2)
  }
}
const quick = flags.has('--quick')
const write = flags.has('--write') || (!quick && filters.length === 0)

const files = readdirSync(join(here, 'benchmarks'))
  .filter((f) => f.endsWith('.ts'))
  .sort()
  // A file runs when a filter is a prefix of its name (`rotate` → rotate-*.ts) or its name a
  // prefix of the filter (`verify-hs256` → verify.ts, whose rows are verify-hs256 and verify-eddsa).
  .filter(
    (f) =>
      filters.length === 0 ||
      filters.some((x) => f.startsWith(x.split('/')[0]!) || x.startsWith(f.replace(/\.ts$/, ''))),
  )
if (files.length === 0) {
  console.error(`no benchmark matches ${filters.join(', ')}`)
  process.exit(2)
}

const runOne = (file: string) => runWorker(join(here, 'benchmarks', file), [quick ? 'quick' : 'full', ...filters])

const started = performance.now()
const rows: ResultRow[] = []
const env: Record<string, string> = {}
let failed = false
for (const file of files) {
  const t0 = performance.now()
  console.error(`▶ ${file}`)
  const result = await runOne(file)
  if (result.leftovers) {
    console.error(`⚠ ${file} left process groups ${result.leftovers.join(', ')} running; killed them`)
  }
  if (result.error) {
    failed = true
    console.error(`✖ ${file} failed:\n${result.error}`)
    continue
  }
  const mine = (result.rows as ResultRow[]).filter((r) => selects(filters, r.id))
  rows.push(...mine)
  Object.assign(env, result.env)
  console.error(`✔ ${file} in ${((performance.now() - t0) / 1000).toFixed(1)} s`)
}
console.error(`suite ran in ${((performance.now() - started) / 1000).toFixed(1)} s`)

console.log(`\n${markdownTable(rows)}\n`)
for (const r of rows) if (r.notes) console.log(`- ${r.id}: ${r.notes}`)

if (failed) {
  console.error('\nA benchmark failed; results/ left as it was.')
  process.exit(1)
}
if (write) {
  const machine = describeMachine(benchDir)
  mkdirSync(resultsDir, { recursive: true })
  writeFileSync(join(resultsDir, 'latest.json'), `${JSON.stringify(rows, null, 2)}\n`)
  writeFileSync(join(resultsDir, 'latest.md'), markdownReport(rows, machine, env))
  writeFileSync(join(resultsDir, 'latest.svg'), svgChart(rows, machine))
  console.error(`\nwrote ${join('bench', 'results', 'latest.{json,md,svg}')}`)
} else {
  console.error('\n(filtered or --quick run: results/ not written; add --write to write them)')
}
if (flags.has('--check') && rows.some((r) => r.pass === false)) {
  console.error('some figures miss their target')
  process.exit(1)
}
