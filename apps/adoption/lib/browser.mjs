// The Chromium pass: sign in from a redirect, see the user on the server and in useSession(),
// call the protected route through @baton/axios, sign out.
import { join } from 'node:path'
import { chromiumLaunchOptions } from '@baton/test-kit'
import { chromium, expect } from '@playwright/test'

/** Debian's Chromium (CHROMIUM_PATH), never a downloaded one. */
export function launchChromium() {
  return chromium.launch(chromiumLaunchOptions())
}

/**
 * Collects `page`'s uncaught errors and console errors into `problems`, but those `expected`
 * (a console message → true) accepts.
 */
export function watchProblems(page, problems, expected = () => false) {
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`))
  page.on('console', (message) => {
    if (message.type() === 'error' && !expected(message))
      problems.push(`console error: ${message.text()} (${message.location().url})`)
  })
}

/**
 * Signs in at `url` as `account` and back out. `personPace`: pause on the sign-in page and type
 * key by key as a person does. Screenshots go to `artifacts/<label>-*.png`. Throws on the first
 * failed expectation, on an uncaught page error and on any console error.
 */
export async function signInAndOut({ url, account, label, artifacts, personPace }) {
  const browser = await launchChromium()
  const problems = []
  try {
    const page = await browser.newPage()
    watchProblems(page, problems)
    const shot = (name) => page.screenshot({ path: join(artifacts, `${label}-${name}.png`), fullPage: true })

    // A signed-out visit to the protected page lands on the sign-in page, with the way back.
    await page.goto(`${url}/dashboard`)
    await expect(page).toHaveURL(`${url}/login?next=%2Fdashboard`)
    const email = page.getByLabel('Email')
    const password = page.getByLabel('Password')
    await expect(email).toBeVisible()
    if (personPace) {
      await page.waitForTimeout(1_500) // reading the page
      await email.pressSequentially(account.email, { delay: 60 })
      await page.waitForTimeout(300)
      await password.pressSequentially(account.password, { delay: 60 })
      await page.waitForTimeout(400)
      await shot('1-sign-in')
    } else {
      await email.fill(account.email)
      await password.fill(account.password)
    }
    await page.getByRole('button', { name: 'Sign in' }).click()

    // Back on the protected page: the user on the server and in the client.
    await expect(page).toHaveURL(`${url}/dashboard`, { timeout: 15_000 })
    await expect(page.getByTestId('server-user')).toHaveText(`Server component: ${account.email}`)
    await expect(page.getByTestId('client-user')).toHaveText(`useSession(): authenticated ${account.email}`)

    // A protected API route through @baton/axios (Bearer token from the session client).
    await page.getByRole('button', { name: 'Call /api/me' }).click()
    await expect(page.getByTestId('api-result')).toHaveText(`200 ${account.email}`)
    await shot('2-dashboard')

    // Sign out: back at the sign-in page, and the protected page stays closed.
    await page.getByRole('button', { name: 'Sign out' }).click()
    await expect(page).toHaveURL(`${url}/login`, { timeout: 15_000 })
    await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible()
    await page.goto(`${url}/dashboard`)
    await expect(page).toHaveURL(`${url}/login?next=%2Fdashboard`)
    const unauthenticated = await page.request.get(`${url}/api/me`)
    expect(unauthenticated.status()).toBe(401)
    await shot('3-signed-out')
  } finally {
    await browser.close()
  }
  if (problems.length > 0) throw new Error(`${label}: the browser reported\n  ${problems.join('\n  ')}`)
}
