import type { Page } from '@playwright/test'
import { EMAIL, expect, PASSWORD, sleep, test } from '../support/fixtures'

/**
 * The app at a person's pace: start from a protected page, read the login page
 * for a moment (the header's links prefetch meanwhile), type key by key, and
 * move by clicking links — never `page.goto` once the tab is open.
 * `signIn()` in the fixtures opens /login afresh and types at machine speed,
 * which hid a sign-in that hung on a router cache entry from before it.
 */

/** Types the credentials like a person and submits; the form is already on screen. */
async function typeAndSubmit(page: Page): Promise<void> {
  await expect(page.getByTestId('sign-in')).toBeEnabled()
  await sleep(1_500) // reading the page; prefetches of the header's links land meanwhile
  const email = page.getByLabel('Email')
  await email.clear()
  await email.pressSequentially(EMAIL, { delay: 15 })
  await page.getByLabel('Password').pressSequentially(PASSWORD, { delay: 15 })
  await sleep(300)
  await page.getByTestId('sign-in').click()
}

/** The page shows the signed-in dashboard, rendered for this session. */
async function expectDashboard(page: Page): Promise<void> {
  await expect(page).toHaveURL(/\/dashboard$/)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Hello, Demo User')
  await expect(page.getByTestId('user-email')).toHaveText(EMAIL)
}

async function expectDevices(page: Page): Promise<void> {
  await expect(page).toHaveURL(/\/devices$/)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Devices')
  await expect(page.getByTestId('devices').locator('[data-current="true"]')).toHaveCount(1)
}

async function signOutByClick(page: Page): Promise<void> {
  await page.getByRole('link', { name: 'Dashboard' }).click()
  await expectDashboard(page)
  await sleep(800)
  await page.getByTestId('sign-out').click()
  await expect(page).toHaveURL(/\/login(\?|$)/)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sign in')
}

test.describe('at a person’s pace', () => {
  test('signed out, /dashboard → /login?next=…; a pause, then sign in → the dashboard', async ({ page }) => {
    await page.goto('/dashboard')
    await expect(page).toHaveURL(/\/login\?next=%2Fdashboard$/)
    await typeAndSubmit(page)
    await expectDashboard(page)
  })

  test('signed out, /devices → /login?next=…; a pause, then sign in → the devices page', async ({ page }) => {
    await page.goto('/devices')
    await expect(page).toHaveURL(/\/login\?next=%2Fdevices$/)
    await typeAndSubmit(page)
    await expectDevices(page)
  })

  test('links after sign-in; sign out and sign in again in the same tab, twice', async ({ page }) => {
    await page.goto('/dashboard')
    await expect(page).toHaveURL(/\/login\?next=%2Fdashboard$/)
    await typeAndSubmit(page)
    await expectDashboard(page)
    const first = await page.getByTestId('session-id').textContent()

    for (let round = 0; round < 2; round++) {
      await sleep(500)
      await page.getByRole('link', { name: 'Devices' }).click()
      await expectDevices(page)
      await signOutByClick(page)

      // Signed out: the header's links lead to /login, never to a cached signed-in page.
      await sleep(1_000)
      await page.getByRole('link', { name: 'Devices' }).click()
      await expect(page).toHaveURL(/\/login\?next=%2Fdevices$/)
      await expect(page.getByTestId('devices')).toHaveCount(0)
      await page.getByRole('link', { name: 'Dashboard' }).click()
      await expect(page).toHaveURL(/\/login\?next=%2Fdashboard$/)
      await expect(page.getByTestId('user-email')).toHaveCount(0)

      await typeAndSubmit(page)
      await expectDashboard(page)
      expect(await page.getByTestId('session-id').textContent()).not.toBe(first)
    }
  })

  test('Back after sign-out does not show the signed-in page', async ({ page }) => {
    await page.goto('/dashboard')
    await typeAndSubmit(page)
    await expectDashboard(page)
    await page.getByRole('link', { name: 'Devices' }).click()
    await expectDevices(page)
    await signOutByClick(page)

    await sleep(500)
    await page.goBack()
    await sleep(1_500)
    // Wherever Back lands, it is not a signed-in page: at /login, or redirected there.
    await expect(page).toHaveURL(/\/login/)
    await expect(page.getByTestId('user-email')).toHaveCount(0)
    await expect(page.getByTestId('devices')).toHaveCount(0)
    await expect(page.getByTestId('sign-out')).toHaveCount(0)

    await page.goBack()
    await sleep(1_500)
    await expect(page).toHaveURL(/\/login/)
    await expect(page.getByTestId('user-email')).toHaveCount(0)
    await expect(page.getByTestId('devices')).toHaveCount(0)
  })

  test('Back after “Sign out everywhere” (a server action) does not show the signed-in page', async ({ page }) => {
    await page.goto('/devices')
    await typeAndSubmit(page)
    await expectDevices(page)
    await page.getByRole('link', { name: 'Dashboard' }).click()
    await expectDashboard(page)
    await page.getByRole('link', { name: 'Devices' }).click()
    await expectDevices(page)
    await sleep(800)
    await page.getByTestId('sign-out-everywhere').click()
    await expect(page).toHaveURL(/\/login\?error=signed_out$/)

    for (let back = 0; back < 2; back++) {
      await page.goBack()
      await sleep(1_500)
      await expect(page).toHaveURL(/\/login/)
      await expect(page.getByTestId('user-email')).toHaveCount(0)
      await expect(page.getByTestId('devices')).toHaveCount(0)
    }
  })
})
