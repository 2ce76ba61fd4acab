import { countRefreshes, expect, signIn, test } from '../support/fixtures'

// Runs in the `upstream` project only: the demo fronts the strict fixture upstream.
test.describe('upstream mode', () => {
  test('upstream tokens stay server-side; /api/me answers from the upstream /me', async ({
    page,
    context,
    upstream,
  }) => {
    await signIn(page)
    expect(upstream!.controls.stats().logins).toBeGreaterThanOrEqual(1)
    await expect(page.getByTestId('server-api-result')).toContainText('GET upstream /me')
    const me = await page.request.get('/api/me')
    expect(await me.json()).toMatchObject({ source: 'upstream', user: { email: 'demo@baton.dev' } })
    // Only Baton's own cookies reach the browser, and none is readable by JavaScript.
    expect((await context.cookies()).map((c) => c.name).sort()).toEqual(['baton.at', 'baton.rt'])
    expect(await page.evaluate(() => document.cookie)).toBe('')
  })

  test('ten parallel calls when the upstream token has expired → one upstream refresh, no double spend', async ({
    page,
    context,
    upstream,
  }) => {
    await signIn(page)
    const before = upstream!.controls.stats()
    upstream!.controls.expireAccessTokens()
    const refreshes = countRefreshes(context)
    await page.getByTestId('call-api-10').click()
    await expect(page.getByTestId('api-result')).toContainText('10/10 succeeded')
    const after = upstream!.controls.stats()
    expect(after.refreshes - before.refreshes).toBe(1)
    expect(after.doubleSpends).toBe(0)
    expect(refreshes.count).toBe(0) // Baton's own token was still valid: the browser never refreshed
  })

  test('an upstream outage fails the call with 502 and signs nobody out; sign-out reaches the upstream', async ({
    page,
    upstream,
  }) => {
    await signIn(page)
    upstream!.controls.fail({ route: 'me', mode: '503' })
    try {
      await page.getByTestId('call-api').click()
      await expect(page.getByTestId('api-result')).toContainText('502 ERR_UPSTREAM_UNAVAILABLE') // the upstream answered 5xx: bad gateway
      await page.reload()
      await expect(page.getByTestId('user-email')).toHaveText('demo@baton.dev')
      await expect(page.getByTestId('server-api-result')).toContainText('failed')
    } finally {
      upstream!.controls.heal()
    }
    await page.getByTestId('call-api').click()
    await expect(page.getByTestId('api-result')).toContainText('1/1 succeeded')
    const logouts = upstream!.controls.stats().logouts
    await page.getByTestId('sign-out').click()
    await page.waitForURL('**/login')
    await expect.poll(() => upstream!.controls.stats().logouts).toBe(logouts + 1)
    expect(upstream!.controls.stats().doubleSpends).toBe(0)
  })
})
