import { type Browser, type BrowserContext, test as base, expect, type Page } from '@playwright/test'
import { startUpstreamServer } from '../fixtures/upstream-server.mjs'
import { type Backend, type DemoServer, startDemo } from './demo-server'
import { type OidcSetup, startOidcSetup } from './oidc'

/** The fixture upstream's handle (see fixtures/upstream-server.mjs). */
export interface Upstream {
  url: string
  controls: {
    stats(): Record<'logins' | 'refreshCalls' | 'refreshes' | 'doubleSpends' | 'logouts' | 'meCalls', number>
    fail(failure: { route: string; mode: string; count?: number }): void
    heal(): void
    expireAccessTokens(): void
  }
  close(): Promise<void>
}

export const EMAIL = 'demo@baton.dev'
export const PASSWORD = 'correct-horse-battery-staple'

interface WorkerFixtures {
  backend: Backend
  /** Run the demo in upstream mode, in front of the strict fixture upstream. */
  upstreamMode: boolean
  upstream: Upstream | null
  /** Run the demo in OpenID Connect mode against a local oidc-provider. */
  oidcMode: boolean
  /** The provider (its `counts` and `events` are live) and the demo's fixed port, in OIDC mode. */
  oidc: OidcSetup | null
  /** Run the demo under `next dev` (the dev tools render only in development). */
  devMode: boolean
  demo: DemoServer
}

/**
 * `demo`: one `next start` per worker and project (SQLite, Postgres, upstream
 * mode, OIDC mode), with its own database; the page's baseURL points at it.
 */
export const test = base.extend<{ baseURL: string }, WorkerFixtures>({
  backend: ['sqlite', { option: true, scope: 'worker' }],
  upstreamMode: [false, { option: true, scope: 'worker' }],
  upstream: [
    async ({ upstreamMode }, use) => {
      if (!upstreamMode) return use(null)
      // Zero grace, strict rotation; upstream access tokens live as long as Baton's.
      const server: Upstream = await startUpstreamServer({ accessTokenTtl: 10 })
      await use(server)
      await server.close()
    },
    { scope: 'worker' },
  ],
  oidcMode: [false, { option: true, scope: 'worker' }],
  oidc: [
    async ({ oidcMode }, use) => {
      if (!oidcMode) return use(null)
      const setup = await startOidcSetup()
      await use(setup)
      await setup.provider.close()
    },
    { scope: 'worker' },
  ],
  devMode: [false, { option: true, scope: 'worker' }],
  demo: [
    async ({ backend, upstream, oidc, devMode }, use) => {
      const env = upstream ? { BATON_UPSTREAM_URL: upstream.url } : (oidc?.env ?? {})
      const server = await startDemo(backend, env, { ...(oidc ? { port: oidc.demoPort } : {}), dev: devMode })
      await use(server)
      await server.stop()
    },
    // `next dev` compiles the first page on its first request.
    { scope: 'worker', timeout: 200_000 },
  ],
  baseURL: async ({ demo }, use) => use(demo.url),
})

export { expect }

/** Signs in through the login page (JavaScript on) and waits for the dashboard. */
export async function signIn(page: Page): Promise<void> {
  await page.goto('/login')
  await page.getByLabel('Email').fill(EMAIL)
  await page.getByLabel('Password').fill(PASSWORD)
  await page.getByTestId('sign-in').click()
  await page.waitForURL('**/dashboard')
  await expect(page.getByTestId('user-email')).toHaveText(EMAIL)
}

/** Counts `POST /api/auth/refresh` requests made by every page of a context. */
export function countRefreshes(context: BrowserContext): { readonly count: number } {
  const counter = { count: 0 }
  context.on('request', (request) => {
    if (request.method() === 'POST' && new URL(request.url()).pathname === '/api/auth/refresh') counter.count++
  })
  return counter
}

/** The session id the server rendered on the dashboard. */
export async function renderedSessionId(page: Page): Promise<string> {
  return (await page.getByTestId('session-id').textContent()) ?? ''
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Two devices of one user, each signed in through the login page: a laptop and a phone (its own user agent). */
export async function twoSignedInDevices(
  browser: Browser,
  baseURL: string | undefined,
): Promise<{ laptop: BrowserContext; phone: BrowserContext; laptopTab: Page; phoneTab: Page }> {
  const laptop = await browser.newContext({ baseURL })
  const phone = await browser.newContext({ baseURL, userAgent: 'Mozilla/5.0 (iPhone) Safari/605.1.15' })
  const laptopTab = await laptop.newPage()
  const phoneTab = await phone.newPage()
  await signIn(laptopTab)
  await signIn(phoneTab)
  return { laptop, phone, laptopTab, phoneTab }
}
