import { countRefreshes, expect, signIn, test } from '../support/fixtures'

const expiryOf = async (page: import('@playwright/test').Page) =>
  Number(await page.getByTestId('countdown').getAttribute('data-expires-at', { timeout: 10_000 }))

test('4. two tabs: one refresh between them when the token expires; sign-out in one signs out the other within 2 s', async ({
  page: tabA,
  context,
}) => {
  await signIn(tabA)
  const tabB = await context.newPage()
  await tabB.goto('/dashboard')
  await expect(tabB.getByTestId('user-email')).toHaveText('demo@baton.dev')
  const refreshes = countRefreshes(context)
  await expect.poll(() => expiryOf(tabA)).toBeGreaterThan(0)
  const first = await expiryOf(tabA)
  // Tab B's countdown carries the expiry once hydrated.
  await expect.poll(() => expiryOf(tabB)).toBe(first)

  // Both clients are due at the same moment (shortly before expiry); wait for the refresh.
  await expect.poll(() => expiryOf(tabA), { timeout: 15_000 }).toBeGreaterThan(first)
  await expect.poll(() => expiryOf(tabB), { timeout: 3_000 }).toBe(await expiryOf(tabA))
  expect(refreshes.count).toBe(1)
  // Both still signed in and able to call the API with the shared new token.
  for (const tab of [tabA, tabB]) {
    await tab.getByTestId('call-api').click()
    await expect(tab.getByTestId('api-result')).toContainText('1/1 succeeded')
  }
  expect(refreshes.count).toBe(1)

  await tabA.getByTestId('sign-out').click()
  await tabA.waitForURL('**/login')
  const signedOutAt = Date.now()
  await tabB.waitForURL('**/login**', { timeout: 2_000 })
  expect(Date.now() - signedOutAt).toBeLessThan(2_000)
  await expect(tabB.getByTestId('login-error')).toHaveText('You are signed out.')
})
