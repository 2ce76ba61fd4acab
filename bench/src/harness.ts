/**
 * The benchmark contract and the side-by-side measurement every benchmark
 * uses. A benchmark is one file under `src/benchmarks/` whose default export
 * is a {@link Benchmark}: it sets up its own fixtures, measures with
 * {@link compare} and returns one {@link ResultRow} per figure.
 */

/** One figure of the suite; `bench/results/latest.json` is an array of these. */
export interface ResultRow {
  /** Stable id, `benchmark` or `benchmark/variant` (e.g. `rotate-pg/server`). */
  id: string
  /** The subject's throughput (median over rounds); null when skipped. */
  value: number | null
  unit: string
  /** What the subject is compared against, in words. */
  baseline: string
  /** The baseline's throughput (median over rounds); null when skipped. */
  baselineValue: number | null
  /** Median of the per-round subject/baseline ratios; null when skipped. */
  ratio: number | null
  /** The ratio the subject should reach (higher is better). */
  target?: number
  /** ratio >= target; absent when there is no target or the row was skipped. */
  pass?: boolean
  notes?: string
}

/** What a benchmark gets from the runner. */
export interface BenchContext {
  /** Progress for the person watching (stderr); not recorded. */
  log(message: string): void
  /** Records a fact about the environment (e.g. `SQLite` → `3.50.4`) for `latest.md`. */
  env(key: string, value: string): void
  /** `--quick`: fewer, shorter rounds, for checking that a benchmark works. */
  quick: boolean
  /** Whether the run's id filters select this row id (a file with several variants can skip the others). */
  wants(id: string): boolean
}

/** Whether id filters (`pnpm bench rotate-pg/server`) select a row id: no filter, or a prefix of the id. */
export function selects(filters: readonly string[], id: string): boolean {
  return filters.length === 0 || filters.some((f) => id === f || id.startsWith(f))
}

/** The default export of a file in `src/benchmarks/`. */
export type Benchmark = (ctx: BenchContext) => Promise<ResultRow[]>

/** One contender: runs `ops` operations back to back (the harness times the call). */
export interface Side {
  name: string
  run(ops: number): void | Promise<void>
}

export interface CompareOptions {
  subject: Side
  baseline: Side
  /** Timed rounds; each gives one subject/baseline ratio, and the result is their median. */
  rounds: number
  /** Operations per side before timing (JIT, caches); they also calibrate the sizes below. */
  warmupOps: number
  /** How long one side's share of a round should take (at the slower side's warm-up rate). */
  batchMs: number
  /** How long one slice should take: the sides take turns every slice. Default 10 ms. */
  sliceMs?: number
  /**
   * Untimed housekeeping after each pair of slices, e.g. a WAL checkpoint: work
   * that both sides cause alike, run where it cannot land on one side by chance.
   */
  between?: () => void | Promise<void>
  /** Bounds of the operations per side and round (e.g. how many fresh tokens are left). */
  minOps: number
  maxOps: number
  log?: (message: string) => void
}

export interface Sample {
  subject: number
  baseline: number
  ratio: number
}

export interface Comparison {
  /** Median subject ops/s. */
  subject: number
  /** Median baseline ops/s. */
  baseline: number
  /** Median of the per-round ratios subject/baseline. */
  ratio: number
  /** Smallest and largest per-round ratio. */
  ratioMin: number
  ratioMax: number
  /** Operations per side in one round, and per slice. */
  opsPerRound: number
  opsPerSlice: number
  /** Operations each side ran, warm-up included. */
  opsPerSide: number
  samples: Sample[]
}

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of nothing')
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

const collectGarbage = (globalThis as { gc?: () => void }).gc

/** Runs `ops` operations of one side; returns the elapsed milliseconds. */
async function timed(side: Side, ops: number): Promise<number> {
  const start = performance.now()
  await side.run(ops)
  return performance.now() - start
}

/**
 * Measures subject and baseline side by side. After a warm-up of each, every
 * round interleaves the two finely: slices of a few milliseconds, the order
 * alternating slice by slice (subject, baseline, baseline, subject, …), each
 * side's time summed over the round. A burst of load from elsewhere on the
 * machine, a WAL checkpoint or an fsync stall therefore lands on both sides
 * alike instead of on whichever batch it happened to hit. The heap is
 * collected before each round (run with --expose-gc); within a round each
 * side triggers collections in proportion to its own allocation.
 *
 * Reports the median ops/s of each side over the rounds and the median of the
 * per-round ratios (a paired statistic).
 */
export async function compare(options: CompareOptions): Promise<Comparison> {
  const { subject, baseline, rounds, warmupOps, log } = options
  collectGarbage?.()
  const warmSubject = (warmupOps * 1000) / (await timed(subject, warmupOps))
  const warmBaseline = (warmupOps * 1000) / (await timed(baseline, warmupOps))
  const slower = Math.min(warmSubject, warmBaseline)
  const perSlice = Math.max(1, Math.round((slower * (options.sliceMs ?? 10)) / 1000))
  const wanted = Math.round((slower * options.batchMs) / 1000)
  const target = Math.max(options.minOps, Math.min(options.maxOps, wanted))
  // An even number of slices, so each side goes first equally often in every round.
  const slices = 2 * Math.min(Math.max(1, Math.round(target / perSlice / 2)), Math.floor(options.maxOps / perSlice / 2))
  if (slices < 2) throw new Error(`compare: maxOps ${options.maxOps} leaves less than two slices of ${perSlice}`)
  const ops = slices * perSlice
  log?.(
    `  warm-up: ${subject.name} ${fmt(warmSubject)} ops/s, ${baseline.name} ${fmt(warmBaseline)} ops/s; ` +
      `${rounds} rounds × ${ops} ops per side, in slices of ${perSlice}`,
  )
  const samples: Sample[] = []
  for (let round = 0; round < rounds; round++) {
    collectGarbage?.()
    let subjectMs = 0
    let baselineMs = 0
    for (let slice = 0; slice < slices; slice++) {
      if ((slice + round) % 2 === 0) {
        subjectMs += await timed(subject, perSlice)
        baselineMs += await timed(baseline, perSlice)
      } else {
        baselineMs += await timed(baseline, perSlice)
        subjectMs += await timed(subject, perSlice)
      }
      await options.between?.()
    }
    const s = (ops * 1000) / subjectMs
    const b = (ops * 1000) / baselineMs
    samples.push({ subject: s, baseline: b, ratio: s / b })
    log?.(`  round ${round + 1}/${rounds}: ${fmt(s)} vs ${fmt(b)} ops/s, ratio ${(s / b).toFixed(3)}`)
  }
  const ratios = samples.map((x) => x.ratio)
  return {
    subject: median(samples.map((x) => x.subject)),
    baseline: median(samples.map((x) => x.baseline)),
    ratio: median(ratios),
    ratioMin: Math.min(...ratios),
    ratioMax: Math.max(...ratios),
    opsPerRound: ops,
    opsPerSlice: perSlice,
    opsPerSide: warmupOps + rounds * ops,
    samples,
  }
}

/** Rounds a throughput for display: three significant digits at most, integers above 100. */
export function fmt(value: number): string {
  if (value >= 100) return Math.round(value).toLocaleString('en-US')
  return value.toPrecision(3)
}

/** A result row from a comparison, rounded for the record. */
export function row(
  fields: { id: string; unit?: string; baseline: string; target?: number; notes?: string },
  c: Comparison,
): ResultRow {
  const ratio = Math.round(c.ratio * 1000) / 1000
  const spread =
    `per-round ratio ${c.ratioMin.toFixed(3)}–${c.ratioMax.toFixed(3)} over ${c.samples.length} rounds ` +
    `of ${c.opsPerRound} ops per side, interleaved in slices of ${c.opsPerSlice}`
  return {
    id: fields.id,
    value: Math.round(c.subject),
    unit: fields.unit ?? 'ops/s',
    baseline: fields.baseline,
    baselineValue: Math.round(c.baseline),
    ratio,
    ...(fields.target === undefined ? {} : { target: fields.target, pass: ratio >= fields.target }),
    notes: fields.notes ? `${fields.notes}; ${spread}` : spread,
  }
}

/** A row for a figure that could not be measured here, with the reason. */
export function skipped(fields: { id: string; unit?: string; baseline: string; target?: number }, reason: string) {
  return {
    id: fields.id,
    value: null,
    unit: fields.unit ?? 'ops/s',
    baseline: fields.baseline,
    baselineValue: null,
    ratio: null,
    ...(fields.target === undefined ? {} : { target: fields.target }),
    notes: `skipped: ${reason}`,
  } satisfies ResultRow
}
