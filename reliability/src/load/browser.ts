/**
 * A simulated browser: a cookie jar (baton.at, baton.rt; test-kit's CookieJar), same-origin
 * requests with an Origin header, and a load balancer that sends each
 * request to either instance. It records every answer in the shared
 * {@link LoadStats}; it never retries, so every 401 it sees is counted.
 */

import { CookieJar } from '@baton/test-kit'

export interface LoadStats {
  requests: number
  byStatus: Map<string, number>
  latencies: number[]
  /** A signed-in browser told it is signed out: a refresh or /api/me answered 401. */
  falseSignOuts: string[]
  serverErrors: string[]
  /** Two parallel refreshes of one cookie that came back with different refresh tokens. */
  splitRefreshes: number
  doubleRefreshes: number
}

export function newStats(): LoadStats {
  return {
    requests: 0,
    byStatus: new Map(),
    latencies: [],
    falseSignOuts: [],
    serverErrors: [],
    splitRefreshes: 0,
    doubleRefreshes: 0,
  }
}

const ACCESS = 'baton.at'
const REFRESH = 'baton.rt'

export class SimulatedBrowser {
  readonly jar = new CookieJar()

  constructor(
    readonly id: number,
    private readonly origins: string[],
    private readonly stats: LoadStats,
  ) {}

  private pick(): string {
    return this.origins[Math.floor(Math.random() * this.origins.length)] as string
  }

  private async send(label: string, path: string, init: RequestInit, jar = this.jar.header()): Promise<Response> {
    const origin = this.pick()
    const headers = new Headers(init.headers)
    if (jar) headers.set('cookie', jar)
    if (init.method && init.method !== 'GET') headers.set('origin', origin)
    const started = performance.now()
    const response = await fetch(origin + path, { ...init, headers, redirect: 'manual' })
    const body = await response.text()
    this.stats.latencies.push(performance.now() - started)
    this.stats.requests++
    const key = `${label} ${response.status}`
    this.stats.byStatus.set(key, (this.stats.byStatus.get(key) ?? 0) + 1)
    if (response.status >= 500) this.stats.serverErrors.push(`${key} (browser ${this.id}): ${body.slice(0, 200)}`)
    const copy = new Response(body, { status: response.status, headers: response.headers })
    this.details.set(copy, `${body.slice(0, 120)} after ${Math.round(performance.now() - started)} ms on ${origin}`)
    return copy
  }

  /** The body and timing of each answer, for the report of a failure. */
  private readonly details = new WeakMap<Response, string>()

  async signIn(email: string, password: string): Promise<void> {
    const response = await this.send('login', '/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    })
    if (response.status !== 200)
      throw new Error(`browser ${this.id}: sign-in answered ${response.status} ${await response.text()}`)
    this.jar.absorb(response)
    if (!this.jar.get(REFRESH) || !this.jar.get(ACCESS)) throw new Error(`browser ${this.id}: sign-in set no cookies`)
  }

  async refresh(): Promise<void> {
    const response = await this.send('refresh', '/api/auth/refresh', { method: 'POST' })
    this.check('refresh', response, this.details.get(response))
    this.jar.absorb(response)
  }

  /** Two refreshes with the same cookie at once (two tabs): both must succeed with the same successor. */
  async doubleRefresh(): Promise<void> {
    const jar = this.jar.header()
    const [a, b] = await Promise.all([
      this.send('refresh×2', '/api/auth/refresh', { method: 'POST' }, jar),
      this.send('refresh×2', '/api/auth/refresh', { method: 'POST' }, jar),
    ])
    this.stats.doubleRefreshes++
    this.check('refresh×2', a, `${this.details.get(a)} | other: ${b.status} ${this.details.get(b)}`)
    this.check('refresh×2', b, `${this.details.get(b)} | other: ${a.status} ${this.details.get(a)}`)
    const rtA = this.jar.absorb(a)[REFRESH]
    const rtB = this.jar.absorb(b)[REFRESH]
    if (a.status === 200 && b.status === 200 && rtA !== rtB) this.stats.splitRefreshes++
  }

  /** GET /api/me with the cookies; the proxy refreshes there when the access token is (nearly) expired. */
  async me(): Promise<void> {
    const response = await this.send('me', '/api/me', { method: 'GET' })
    this.check('me', response, this.details.get(response))
    this.jar.absorb(response)
  }

  private check(label: string, response: Response, detail = ''): void {
    if (response.status === 401 || response.status === 403 || (response.status >= 300 && response.status < 400)) {
      this.stats.falseSignOuts.push(`${label} → ${response.status} (browser ${this.id}) ${detail}`)
    }
  }
}

/** The p-th percentile (0–100) of `values`, nearest rank. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number
}
