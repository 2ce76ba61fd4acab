/**
 * Side-by-side HTTP load with autocannon, for the benchmarks that run a real
 * `next start`: subject and baseline take turns, a few seconds each, the
 * order alternating round by round; each round gives one req/s ratio, and
 * the figure is their median (the same paired statistic as `compare()`, with
 * rounds of seconds instead of milliseconds because each turn must reach a
 * steady state of 10 connections).
 */
import autocannon from 'autocannon'
import { median, type ResultRow } from '../harness.js'

export interface HttpSide {
  name: string
  /** autocannon options for this side (`url`, `method`, `headers`, `requests`…). */
  options: autocannon.Options
  /**
   * Runs one load of this side instead of plain autocannon (e.g. a side whose
   * every request consumes an input it must have enough of: `token-pool.ts`).
   */
  run?(overrides: Partial<autocannon.Options>): Promise<autocannon.Result>
}

export interface HttpRound {
  subject: autocannon.Result
  baseline: autocannon.Result
  ratio: number
}

export interface HttpComparison {
  rounds: HttpRound[]
  /** Median req/s of each side, median per-round ratio, and its spread. */
  subject: number
  baseline: number
  ratio: number
  ratioMin: number
  ratioMax: number
  /** Median of the per-round p99 latencies (ms), and the largest. */
  subjectP99: number
  subjectP99Max: number
  baselineP99: number
}

/** One autocannon run; throws on errors, timeouts or non-2xx answers (a benchmark of failures is no benchmark). */
export async function load(side: HttpSide, overrides: Partial<autocannon.Options> = {}): Promise<autocannon.Result> {
  if (side.run) return side.run(overrides)
  return checked(side, await autocannon({ ...side.options, ...overrides } as autocannon.Options))
}

/** The result of a run, or an error when it had errors, timeouts or non-2xx answers. */
export function checked(side: HttpSide, result: autocannon.Result): autocannon.Result {
  if (result.errors > 0 || result.timeouts > 0 || result.non2xx > 0) {
    throw new Error(
      `${side.name}: ${result.errors} errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx answers ` +
        `of ${result.requests.total} requests`,
    )
  }
  return result
}

/** Requests per second of a run: completed requests over the run's duration. */
export const rate = (r: autocannon.Result) => r.requests.total / r.duration

export async function compareHttp(options: {
  subject: HttpSide
  baseline: HttpSide
  rounds: number
  /** Seconds per side and round. */
  seconds: number
  warmupSeconds: number
  log: (message: string) => void
}): Promise<HttpComparison> {
  const { subject, baseline, log } = options
  const w1 = await load(subject, { duration: options.warmupSeconds })
  const w2 = await load(baseline, { duration: options.warmupSeconds })
  log(`  warm-up: ${subject.name} ${Math.round(rate(w1))} req/s, ${baseline.name} ${Math.round(rate(w2))} req/s`)
  const rounds: HttpRound[] = []
  for (let i = 0; i < options.rounds; i++) {
    let s: autocannon.Result
    let b: autocannon.Result
    if (i % 2 === 0) {
      s = await load(subject, { duration: options.seconds })
      b = await load(baseline, { duration: options.seconds })
    } else {
      b = await load(baseline, { duration: options.seconds })
      s = await load(subject, { duration: options.seconds })
    }
    const ratio = rate(s) / rate(b)
    rounds.push({ subject: s, baseline: b, ratio })
    log(
      `  round ${i + 1}/${options.rounds}: ${Math.round(rate(s))} vs ${Math.round(rate(b))} req/s, ratio ${ratio.toFixed(3)}, ` +
        `p99 ${s.latency.p99} vs ${b.latency.p99} ms`,
    )
  }
  const ratios = rounds.map((r) => r.ratio)
  return {
    rounds,
    subject: median(rounds.map((r) => rate(r.subject))),
    baseline: median(rounds.map((r) => rate(r.baseline))),
    ratio: median(ratios),
    ratioMin: Math.min(...ratios),
    ratioMax: Math.max(...ratios),
    subjectP99: median(rounds.map((r) => r.subject.latency.p99)),
    subjectP99Max: Math.max(...rounds.map((r) => r.subject.latency.p99)),
    baselineP99: median(rounds.map((r) => r.baseline.latency.p99)),
  }
}

/** A result row from an HTTP comparison. */
export function httpRow(
  fields: { id: string; baseline: string; target?: number; notes: string; connections: number; seconds: number },
  c: HttpComparison,
): ResultRow {
  const ratio = Math.round(c.ratio * 1000) / 1000
  const spread =
    `per-round ratio ${c.ratioMin.toFixed(3)}–${c.ratioMax.toFixed(3)} over ${c.rounds.length} rounds of ` +
    `${fields.seconds} s per side at ${fields.connections} connections; p99 ${c.subjectP99} ms vs ${c.baselineP99} ms`
  return {
    id: fields.id,
    value: Math.round(c.subject),
    unit: 'req/s',
    baseline: fields.baseline,
    baselineValue: Math.round(c.baseline),
    ratio,
    ...(fields.target === undefined ? {} : { target: fields.target, pass: ratio >= fields.target }),
    notes: `${fields.notes}; ${spread}`,
  }
}
