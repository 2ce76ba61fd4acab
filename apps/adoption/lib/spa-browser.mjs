// The Chromium passes for the React SPA: a person signs in, reloads, calls the API, opens a
// second tab and signs out there; and the set-up Baton refuses (a proxy that rewrites Host for
// an origin the server does not list) shows its error instead of hanging.
import { join } from 'node:path'
import { expect } from '@playwright/test'
import { launchChromium, watchProblems } from './browser.mjs'

/**
 * A signed-out visitor's own requests answered 401 (GET /session, POST /refresh, the API call
 * after signing out): Chromium logs each as "Failed to load resource", which is no fault.
 */
const SIGNED_OUT_401 = (message) =>
  /status of 401/.test(message.text()) && /\/api\/(auth\/(session|refresh)|me)$/.test(message.location().url)

/**
 * At `url` (the SPA; its API on the same origin through Vite's proxy, or at `apiOrigin` with CORS):
 * sign in at a person's pace, reload (still signed in: the refresh cookie reached the API), call
 * /api/me through @baton/axios, open a second tab (signed in there too), sign out in it, and see
 * the first tab follow. Screenshots: `artifacts/<label>-*.png`.
 */
export async function spaSignInAndOut({ url, apiOrigin = url, account, label, artifacts, personPace }) {
  const browser = await launchChromium()
  const problems = []
  try {
    const context = await browser.newContext()
    const page = await context.newPage()
    watchProblems(page, problems, SIGNED_OUT_401)
    const signIns = []
    context.on('request', (request) => {
      if (request.url().endsWith('/api/auth/login')) signIns.push(`${request.method()} ${request.url()}`)
    })
    const shot = (tab, name) => tab.screenshot({ path: join(artifacts, `${label}-${name}.png`), fullPage: true })
    const status = (tab) => tab.getByTestId('status')

    await page.goto(url)
    await expect(status(page)).toHaveText('unauthenticated')
    const email = page.getByLabel('Email')
    const password = page.getByLabel('Password')
    if (personPace) {
      await page.waitForTimeout(1_500)
      await email.pressSequentially(account.email, { delay: 60 })
      await page.waitForTimeout(300)
      await password.pressSequentially(account.password, { delay: 60 })
      await page.waitForTimeout(400)
    } else {
      await email.fill(account.email)
      await password.fill(account.password)
    }
    await shot(page, '1-sign-in')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await expect(status(page)).toHaveText(`authenticated ${account.email}`, { timeout: 15_000 })
    // Where the sign-in went: this origin (the proxy), or the API's (CORS).
    expect(signIns).toEqual([`POST ${apiOrigin}/api/auth/login`])

    // A reload keeps the user: the token was in memory only, the refresh cookie brings it back.
    await page.reload()
    await expect(status(page)).toHaveText(`authenticated ${account.email}`, { timeout: 15_000 })
    await page.getByRole('button', { name: 'Call /api/me' }).click()
    await expect(page.getByTestId('api-result')).toHaveText(`200 ${account.email}`)
    await shot(page, '2-signed-in')

    // A second tab is signed in too; signing out there signs out the first.
    const second = await context.newPage()
    watchProblems(second, problems, SIGNED_OUT_401)
    await second.goto(url)
    await expect(status(second)).toHaveText(`authenticated ${account.email}`, { timeout: 15_000 })
    await second.waitForTimeout(800)
    await second.getByRole('button', { name: 'Sign out' }).click()
    await expect(status(second)).toHaveText('unauthenticated')
    await expect(status(page)).toHaveText('unauthenticated', { timeout: 5_000 })
    await page.getByRole('button', { name: 'Call /api/me' }).click()
    await expect(page.getByTestId('api-result')).toHaveText(/^failed: 401 ERR_/)
    await page.reload()
    await expect(status(page)).toHaveText('unauthenticated')
    await shot(page, '3-signed-out')
  } finally {
    await browser.close()
  }
  if (problems.length > 0) throw new Error(`${label}: the browser reported\n  ${problems.join('\n  ')}`)
}

/**
 * At `url` (a proxy with changeOrigin: true, the SPA's origin not listed on the server): signing
 * in shows `ERR_CSRF` at once, with one console error naming it, and nothing is retried.
 */
export async function spaRefused({ url, account, label, artifacts }) {
  const browser = await launchChromium()
  const problems = []
  const consoleErrors = []
  try {
    const page = await browser.newPage()
    watchProblems(page, problems, (message) => {
      consoleErrors.push(message.text())
      return SIGNED_OUT_401(message) || /status of 403/.test(message.text()) || /ERR_CSRF/.test(message.text())
    })
    let authCalls = 0
    page.on('request', (request) => {
      if (request.url().includes('/api/auth/')) authCalls++
    })
    await page.goto(url)
    await expect(page.getByTestId('status')).not.toHaveText('loading')
    if (await page.getByLabel('Email').isVisible()) {
      await page.getByLabel('Email').fill(account.email)
      await page.getByLabel('Password').fill(account.password)
      await page.getByRole('button', { name: 'Sign in' }).click()
    }
    await expect(page.getByRole('alert')).toContainText('ERR_CSRF', { timeout: 10_000 })
    const calls = authCalls
    await page.waitForTimeout(2_000) // nothing is retried
    await page.screenshot({ path: join(artifacts, `${label}-refused.png`), fullPage: true })
    expect(authCalls).toBe(calls)
    expect(consoleErrors.filter((text) => /ERR_CSRF/.test(text))).toHaveLength(1)
  } finally {
    await browser.close()
  }
  if (problems.length > 0) throw new Error(`${label}: the browser reported\n  ${problems.join('\n  ')}`)
}
