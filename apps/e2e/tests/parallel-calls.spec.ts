import { TTL } from '../support/demo-server'
import { countRefreshes, expect, signIn, sleep, test } from '../support/fixtures'

test('3. ten parallel calls to /api/me after expiry → exactly one refresh, ten successes', async ({
  page,
  context,
}) => {
  await page.clock.install()
  await signIn(page)
  // Sign-in ends with a page load, and a page holds no token until its first call fetches one
  // (none goes into the HTML): make that call now, so the ten below carry a token that expires.
  await page.getByTestId('call-api').click()
  await expect(page.getByTestId('api-result')).toContainText('1/1 succeeded')
  // Freeze the page's clock: the client cannot see the expiry coming, so all ten calls
  // go out with the expired token and get 401 — the case @baton/axios is there for.
  await page.clock.pauseAt(await page.evaluate(() => Date.now() + 500))
  // Past expiry and the server's 5 s clock tolerance.
  await sleep((TTL.access + TTL.clockTolerance) * 1000 + 1_000)
  const refreshes = countRefreshes(context)
  const meCalls: number[] = []
  page.on('response', (response) => {
    if (new URL(response.url()).pathname === '/api/me') meCalls.push(response.status())
  })
  await page.getByTestId('call-api-10').click()
  await expect(page.getByTestId('api-result')).toContainText('10/10 succeeded')
  expect(refreshes.count).toBe(1)
  // Each call at most twice: its 401, then one retry with the new token.
  expect(meCalls.filter((s) => s === 200)).toHaveLength(10)
  expect(meCalls.filter((s) => s === 401).length).toBeGreaterThanOrEqual(1)
  expect(meCalls.length).toBeLessThanOrEqual(20)
})
