import { TTL } from '../support/demo-server'
import { expect, signIn, sleep, test } from '../support/fixtures'

test('5. an old refresh cookie replayed after the grace window revokes the session; the legitimate tab goes to /login', async ({
  page,
  context,
  playwright,
  demo,
}) => {
  await signIn(page)
  const stolen = (await context.cookies()).find((c) => c.name === 'baton.rt')?.value
  expect(stolen).toBeTruthy()
  // The legitimate tab rotates on its own, shortly before expiry.
  await expect(page.locator('[data-testid="refresh-log"] li[data-type="refreshed"]')).toHaveCount(1, {
    timeout: 15_000,
  })
  const current = (await context.cookies()).find((c) => c.name === 'baton.rt')?.value
  expect(current).not.toBe(stolen)
  await sleep(TTL.grace * 1000 + 500)

  const attacker = await playwright.request.newContext()
  const replay = await attacker.post(`${demo.url}/api/auth/refresh`, {
    headers: { cookie: `baton.rt=${stolen}`, origin: demo.url },
  })
  expect(replay.status()).toBe(401)
  expect((await replay.json()).error.code).toBe('ERR_REFRESH_TOKEN_REUSED')
  await attacker.dispose()

  // The family is revoked: the legitimate tab's next refresh fails and it is sent to sign in.
  await page.waitForURL('**/login**', { timeout: 20_000 })
  await page.goto('/dashboard')
  await expect(page).toHaveURL(/\/login/)
})
