import { join } from 'node:path'
import type { Page } from '@playwright/test'
import { EMAIL, expect, PASSWORD, sleep, test } from '../support/fixtures'

// <BatonDevtools /> in the demo under `next dev`, used the way a developer would: arrive by the
// proxy's redirect, open the panel, sign in by typing, watch a refresh land on the timeline, keep
// a second tab, sign out there, and read in the first tab why it was signed out.

const SHOTS = join(import.meta.dirname, '..', 'artifacts', 'screenshots')
/** A compact JWS (header.payload.signature): the panel may show claims, never a token. */
const JWS = /eyJ[\w-]{8,}\.eyJ[\w-]{8,}\.[\w-]{8,}/

const toggle = (page: Page) => page.getByRole('button', { name: 'Baton', exact: true })
const panel = (page: Page) => page.getByRole('dialog', { name: 'Baton devtools' })

async function openPanel(page: Page): Promise<void> {
  await expect(toggle(page)).toBeVisible({ timeout: 30_000 }) // hydrated (next dev compiles on demand)
  if ((await toggle(page).getAttribute('aria-expanded')) !== 'true') await toggle(page).click()
  await expect(panel(page)).toBeVisible()
}

test('the devtools panel: proxy redirect, claims, proxy report, revoking a phone, a refresh on the timeline, a sign-out in another tab and why', async ({
  page,
  context,
}) => {
  test.setTimeout(180_000)
  // Arrive the way a person does: a bookmarked page, sent to sign-in by the proxy.
  await page.goto('/dashboard', { timeout: 120_000 })
  await page.waitForURL('**/login?next=%2Fdashboard', { timeout: 60_000 })
  await openPanel(page)
  await expect(panel(page)).toContainText('redirected')
  await expect(panel(page)).toContainText('ERR_UNAUTHENTICATED')
  // Keyboard: Escape closes the panel and gives the focus back to the toggle.
  await page.keyboard.press('Escape')
  await expect(panel(page)).toBeHidden()
  await expect(toggle(page)).toBeFocused()

  // Sign in by typing, with a pause before the click.
  // (The field may hold a value already, e.g. the browser's own fill: a person selects it and types over it.)
  for (const [label, value] of [
    ['Email', EMAIL],
    ['Password', PASSWORD],
  ] as const) {
    await page.getByLabel(label).fill('')
    await page.getByLabel(label).pressSequentially(value, { delay: 40 })
  }
  await sleep(400)
  await page.getByTestId('sign-in').click()
  await page.waitForURL('**/dashboard', { timeout: 60_000 })
  await expect(page.getByTestId('user-email')).toHaveText(EMAIL)

  await openPanel(page)
  // The decoded claims (the subject, the issuer), never the token itself.
  await expect(panel(page)).toContainText('sub')
  await expect(panel(page)).toContainText('baton')
  expect(await page.content()).not.toMatch(JWS)
  // What the proxy did for the dashboard's navigation (its Server-Timing header).
  await expect(panel(page)).toContainText(/verified \(valid\) \/dashboard/)

  // The same user on a phone: the panel lists it, and its Revoke ends that session.
  const phone = await page.context().browser()!.newContext({ userAgent: 'Mozilla/5.0 (iPhone) Safari/605.1.15' })
  const phoneTab = await phone.newPage()
  await phoneTab.goto(new URL('/login', page.url()).href)
  await phoneTab.getByLabel('Email').fill(EMAIL)
  await phoneTab.getByLabel('Password').fill(PASSWORD)
  await phoneTab.getByTestId('sign-in').click()
  await phoneTab.waitForURL('**/dashboard', { timeout: 60_000 })
  await panel(page)
    .getByRole('button', { name: /reload/i })
    .click()
  const revoke = panel(page).getByRole('button', { name: /^Revoke / })
  await expect(revoke).toHaveCount(1)
  await sleep(500)
  await revoke.click()
  await expect(revoke).toHaveCount(0)
  await phoneTab.goto(new URL('/devices', page.url()).href)
  await phoneTab.waitForURL('**/login**')
  await phone.close()

  // Access tokens live 10 s here: the client's timer refreshes shortly before expiry.
  const marks = panel(page).locator('svg [data-type="refreshed"]')
  const before = await marks.count()
  await expect.poll(() => marks.count(), { timeout: 20_000 }).toBeGreaterThan(before)
  await expect(panel(page).getByRole('listitem').filter({ hasText: 'timer' }).first()).toBeVisible()
  await page.screenshot({ path: join(SHOTS, 'devtools-panel.png') })

  // A second tab of the same browser; sign out there, at a person's pace.
  const other = await context.newPage()
  await other.goto('/dashboard')
  await expect(other.getByTestId('user-email')).toHaveText(EMAIL)
  await sleep(800)
  await other.getByTestId('sign-out').click()
  await other.waitForURL('**/login**')

  // The first tab follows to the sign-in page; its panel says why.
  await page.waitForURL('**/login**', { timeout: 10_000 })
  await openPanel(page)
  await expect(panel(page)).toContainText(/Another tab( \([^)]*\))? signed out/)
  await page.screenshot({ path: join(SHOTS, 'devtools-signed-out.png') })
  expect(await page.content()).not.toMatch(JWS)
})
