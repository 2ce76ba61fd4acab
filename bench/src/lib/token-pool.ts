/**
 * Single-use inputs for HTTP load (refresh tokens: each rotation consumes
 * one), sized from what the load measures instead of guessed up front.
 *
 * A {@link TokenPool} hands out tokens synchronously (autocannon's
 * `setupRequest` cannot wait) and mints more between runs, never during one,
 * so minting never competes with the measurement. A {@link tokenSide} runs
 * each load of its side with a pool topped up for it: for `amount` runs,
 * the amount plus one request per connection; for `duration` runs, the
 * fastest rate this side has shown times the duration, with headroom. Should
 * the machine still outrun the pool, `take()` comes back empty instead of
 * throwing (a throw inside autocannon is an uncaught exception that kills
 * the process): the run stops, its requests go to a harmless `filler` path
 * until then, the run is discarded, and it runs again with a pool sized from
 * the rate it just showed (at least twice the last one).
 */
import autocannon from 'autocannon'
import { checked, type HttpSide, rate } from './http-compare.js'

export class TokenPool {
  private readonly tokens: string[] = []
  private next = 0
  /** Tokens minted so far. */
  minted = 0
  /** `take()` calls that found the pool empty. */
  misses = 0

  /** @param mint creates `count` fresh tokens (e.g. signs in `count` sessions). */
  constructor(private readonly mint: (count: number) => Promise<string[]>) {}

  /** Tokens not yet handed out. */
  get available(): number {
    return this.tokens.length - this.next
  }

  /** Tokens handed out so far. */
  get taken(): number {
    return this.next
  }

  /** The next fresh token, or undefined when none is left (never throws: it runs inside autocannon). */
  take(): string | undefined {
    if (this.next < this.tokens.length) return this.tokens[this.next++]
    this.misses++
    return undefined
  }

  /** Mints what is missing for `count` tokens to be available. */
  async ensure(count: number): Promise<void> {
    const missing = Math.ceil(count) - this.available
    if (missing <= 0) return
    const fresh = await this.mint(missing)
    if (fresh.length < missing) throw new Error(`token pool: asked to mint ${missing}, got ${fresh.length}`)
    for (const token of fresh) this.tokens.push(token)
    this.minted += fresh.length
  }
}

export interface TokenSide extends HttpSide {
  run(overrides: Partial<autocannon.Options>): Promise<autocannon.Result>
  /** autocannon runs so far, discarded ones included. */
  readonly runs: number
  /** Runs discarded because the pool ran dry. */
  readonly starvedRuns: number
}

export function tokenSide(options: {
  name: string
  pool: TokenPool
  /** autocannon options without `requests`: `url`, `connections`… */
  options: autocannon.Options
  /** The request for one token (e.g. a POST with the token as a cookie). */
  request: (request: autocannon.Request, token: string) => autocannon.Request
  /** A request that answers 2xx and consumes nothing, sent while a starved run stops. */
  filler: (request: autocannon.Request) => autocannon.Request
  /** Expected req/s before anything was measured (default 100). */
  initialRate?: number
  /** Pool size over the expected need (default 1.5). */
  headroom?: number
  /** Attempts per run before giving up (default 8; each at least doubles the pool). */
  attempts?: number
  log?: (message: string) => void
}): TokenSide {
  const { pool, name } = options
  const connections = options.options.connections ?? 10
  const headroom = options.headroom ?? 1.5
  let peak = options.initialRate ?? 100
  let runs = 0
  let starvedRuns = 0

  const side: TokenSide = {
    name,
    options: options.options,
    get runs() {
      return runs
    },
    get starvedRuns() {
      return starvedRuns
    },
    async run(overrides) {
      const amount = overrides.amount ?? options.options.amount
      const seconds = overrides.duration ?? options.options.duration ?? 10
      let size =
        amount !== undefined ? amount + connections : Math.ceil(peak * Number(seconds) * headroom) + 2 * connections
      for (let attempt = 1; ; attempt++) {
        await pool.ensure(size)
        let starved = false
        let instance: autocannon.Instance | undefined
        const setupRequest = (request: autocannon.Request) => {
          const token = pool.take()
          if (token !== undefined) return options.request(request, token)
          if (!starved) {
            starved = true
            // autocannon builds each connection's first request before it returns the instance.
            if (instance) instance.stop()
          }
          return options.filler(request)
        }
        runs++
        const result = await new Promise<autocannon.Result>((resolve, reject) => {
          const opts = { ...options.options, ...overrides, requests: [{ setupRequest }] }
          instance = autocannon(opts, (error, result) => (error ? reject(error) : resolve(result)))
          if (starved) instance.stop()
        })
        peak = Math.max(peak, rate(result))
        if (!starved) return checked(side, result)
        starvedRuns++
        const next = Math.max(2 * size, Math.ceil(peak * Number(seconds) * headroom) + 2 * connections)
        options.log?.(
          `  ${name}: ran out of tokens after ${result.duration} s at ${Math.round(rate(result))} req/s; ` +
            `run discarded, again with ${next} (attempt ${attempt + 1})`,
        )
        if (attempt >= (options.attempts ?? 8)) {
          throw new Error(`${name}: still out of tokens after ${attempt} runs (pool of ${size})`)
        }
        size = next
      }
    },
  }
  return side
}
