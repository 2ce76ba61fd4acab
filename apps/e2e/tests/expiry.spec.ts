import { TTL } from '../support/demo-server'
import { countRefreshes, expect, renderedSessionId, signIn, sleep, test } from '../support/fixtures'

test('2. after the access token expires, a navigation renders the dashboard with no redirect and shows the new session', async ({
  page,
  context,
}) => {
  await signIn(page)
  const sessionId = await renderedSessionId(page)
  const firstExpiry = Number(await page.getByTestId('expires-at').getAttribute('data-expires-at'))
  // Close the tab, so no client refreshes in the background: only the cookies remain.
  await page.close()
  await sleep(TTL.access * 1000 + 1_000)
  const refreshes = countRefreshes(context)
  const tab = await context.newPage()
  const response = await tab.goto('/dashboard')
  expect(response?.status()).toBe(200)
  expect(response?.request().redirectedFrom()).toBeNull()
  expect(new URL(tab.url()).pathname).toBe('/dashboard')
  // The proxy rotated and handed the new cookies to this very render.
  expect(await renderedSessionId(tab)).toBe(sessionId)
  const newExpiry = Number(await tab.getByTestId('expires-at').getAttribute('data-expires-at'))
  expect(newExpiry).toBeGreaterThan(firstExpiry)
  expect(newExpiry).toBeGreaterThan(Date.now())
  expect(refreshes.count).toBe(0) // server-side, in the proxy: no browser request
  await expect(tab.getByTestId('server-api-result')).toContainText('demo@baton.dev')
})
