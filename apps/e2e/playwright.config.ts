import { chromiumLaunchOptions } from '@baton/test-kit'
import { defineConfig } from '@playwright/test'
import type { Backend } from './support/demo-server'

const CI = Boolean(process.env.CI)
const postgres = Boolean(process.env.DATABASE_URL)
if (!postgres) {
  console.warn('[e2e] DATABASE_URL is not set: the postgres project is SKIPPED; only SQLite runs.')
}

/**
 * Debian's Chromium (never `playwright install`): `CHROMIUM_PATH`, default
 * /usr/bin/chromium. One worker: each project runs its own `next start`, and
 * the machine has two cores.
 */
export default defineConfig<object, { backend: Backend; upstreamMode: boolean; oidcMode: boolean; devMode: boolean }>({
  testDir: './tests',
  outputDir: './artifacts/test-results',
  fullyParallel: false,
  workers: 1,
  forbidOnly: CI,
  retries: CI ? 1 : 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list'], ['html', { outputFolder: './artifacts/report', open: 'never' }]],
  use: {
    trace: 'on-first-retry',
    screenshot: 'only-on-failure',
    launchOptions: chromiumLaunchOptions(),
  },
  projects: [
    { name: 'sqlite', use: { backend: 'sqlite' }, testIgnore: /(upstream|oidc|devtools)\.spec/ },
    ...(postgres
      ? [{ name: 'postgres', use: { backend: 'postgres' as const }, testIgnore: /(upstream|oidc|devtools)\.spec/ }]
      : []),
    // The demo as a backend-for-frontend of the fixture upstream: sign in (also at a person's pace), expiry, parallel calls,
    // two tabs and sign-out, plus the upstream-only checks (the other scenarios pass too, but
    // test nothing upstream-specific, so CI time goes elsewhere).
    {
      name: 'upstream',
      use: { backend: 'sqlite', upstreamMode: true },
      testMatch: /(sign-in|person-pace|expiry|parallel-calls|tabs|upstream)\.spec\.ts$/,
    },
    // The demo in OpenID Connect mode against a local oidc-provider (access tokens of 8 s) that the
    // worker starts: sign-in at the provider at a person's pace, userinfo, one provider refresh for two
    // tabs, RP-initiated sign-out, a tampered callback.
    { name: 'oidc', use: { backend: 'sqlite', oidcMode: true }, testMatch: /oidc\.spec\.ts$/ },
    // The demo under `next dev`, where <BatonDevtools /> renders: the panel at a person's pace.
    { name: 'devtools', use: { backend: 'sqlite', devMode: true }, testMatch: /devtools\.spec\.ts$/ },
  ],
})
