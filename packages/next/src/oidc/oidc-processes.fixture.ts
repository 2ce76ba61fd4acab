import { type ChildProcess, fork } from 'node:child_process'
import { once } from 'node:events'
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import type { OidcOptions } from '@baton/core/server'
import { DEFAULT_OIDC_CLIENT, signInAtProvider } from '@baton/test-kit'
import type { Baton } from '../create-baton.js'
import { ORIGIN, request, setCookies } from '../test-app.fixture.js'

const here = dirname(fileURLToPath(import.meta.url))
// Resolved to a file URL so the child finds tsx whatever its cwd.
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href

/** The redirect URI Baton sends for the provider `oidc` of an app at ORIGIN. */
export const CALLBACK = `${ORIGIN}/api/auth/callback/oidc`

/** The `oidc` option every Baton instance of the test (the test process and each worker) uses. */
export function oidcOptions(issuer: string): OidcOptions {
  return {
    providers: {
      oidc: {
        issuer,
        clientId: DEFAULT_OIDC_CLIENT.client_id,
        clientSecret: DEFAULT_OIDC_CLIENT.client_secret,
        // oidc-provider keeps offline_access (the refresh token) only with prompt=consent.
        authorizationParams: { prompt: 'consent' },
      },
    },
  }
}

/** What the test tells a worker. */
export type WorkerCommand =
  /** `refreshDelayMs`: how long the worker holds back the provider's refresh answer (a slow provider). */
  { type: 'go'; sessionId: string; count: number; startAt: number; refreshDelayMs: number } | { type: 'close' }

/** What a worker reports: `ready` once warmed up, `done` after each round. */
export type WorkerReport =
  | { type: 'ready'; pid: number }
  | {
      type: 'done'
      pid: number
      tokens: string[]
      errors: string[]
      /** refresh_token grants this process sent in the round. */
      grants: number
      /** This process's store calls in the round; `lost`: writes that lost the compare-and-set. */
      store: { reads: number; writes: number; lost: number }
      /** How late after the shared start time its calls began (ms). */
      lateMs: number
      ms: number
    }

/** A real OS process (node + tsx, `@baton/source` condition) running oidc-refresh-worker.fixture.ts. */
export interface RefreshWorker {
  child: ChildProcess
  next<T extends WorkerReport['type']>(type: T, timeoutMs?: number): Promise<Extract<WorkerReport, { type: T }>>
  send(command: WorkerCommand): void
  /** Asks it to close its store and waits for its exit (SIGKILL after 10 s). */
  close(): Promise<void>
}

/** Forks a worker on the shared store: `backend` sqlite (a file path) or postgres (a URL with the schema). */
export function startRefreshWorker(env: { backend: string; db: string; issuer: string }): RefreshWorker {
  const child = fork(join(here, 'oidc-refresh-worker.fixture.ts'), [], {
    execArgv: ['--conditions=@baton/source', '--import', tsx],
    cwd: resolve(here, '../..'),
    env: {
      ...process.env,
      OIDC_BACKEND: env.backend,
      OIDC_DB: env.db,
      OIDC_ISSUER: env.issuer,
    },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  })
  let output = ''
  child.stdout?.on('data', (chunk) => {
    output += chunk
  })
  child.stderr?.on('data', (chunk) => {
    output += chunk
  })
  const inbox: WorkerReport[] = []
  const waiting: ((report: WorkerReport) => void)[] = []
  child.on('message', (report: WorkerReport) => {
    const w = waiting.shift()
    if (w) w(report)
    else inbox.push(report)
  })
  const exited = once(child, 'exit')
  return {
    child,
    next(type, timeoutMs = 30_000) {
      return new Promise<WorkerReport>((resolveReport, reject) => {
        const queued = inbox.shift()
        if (queued) return resolveReport(queued)
        const timer = setTimeout(
          () => reject(new Error(`worker sent no ${type} in ${timeoutMs} ms:\n${output}`)),
          timeoutMs,
        )
        waiting.push((report) => {
          clearTimeout(timer)
          resolveReport(report)
        })
        void exited.then(([code]) => reject(new Error(`worker exited (${code}) before ${type}:\n${output}`)))
      }).then((report) => {
        if (report.type !== type) throw new Error(`expected ${type}, got ${JSON.stringify(report)}`)
        return report as Extract<WorkerReport, { type: typeof type }>
      })
    },
    send(command) {
      child.send(command)
    },
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return
      if (child.connected) child.send({ type: 'close' })
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
      await exited
      clearTimeout(timer)
    },
  }
}

/** Signs `login` in through Baton's OIDC routes (signin → provider → callback); returns the session id. */
export async function signInWithOidc(baton: Baton, login = 'alice'): Promise<string> {
  const start = await baton.handlers.GET(request('/api/auth/signin/oidc?returnTo=/'))
  if (start.status !== 302) throw new Error(`signin answered ${start.status}`)
  const back = await signInAtProvider(start.headers.get('location') as string, { login })
  const callback = await baton.handlers.GET(
    request(`/api/auth/callback/oidc${back.search}`, {
      cookies: setCookies(start),
      headers: { accept: 'application/json' },
    }),
  )
  if (callback.status !== 303) throw new Error(`callback answered ${callback.status}: ${await callback.text()}`)
  const session = await baton.server.session({ request: request('/', { cookies: setCookies(callback) }) })
  if (!session) throw new Error('no session after the callback')
  return session.sessionId
}

/** Whether the provider accepts `token` at its userinfo endpoint, and for whom. */
export async function userinfo(issuer: string, token: string): Promise<{ status: number; sub?: string }> {
  const res = await fetch(`${issuer}/me`, { headers: { authorization: `Bearer ${token}` } })
  return { status: res.status, ...(res.ok ? { sub: ((await res.json()) as { sub: string }).sub } : {}) }
}
