import { expect, renderedSessionId, test, twoSignedInDevices } from '../support/fixtures'

test('6. a device revoked from another browser context loses access on its next navigation', async ({
  browser,
  baseURL,
}) => {
  const { laptop, phone, laptopTab, phoneTab } = await twoSignedInDevices(browser, baseURL)
  const laptopSession = await renderedSessionId(laptopTab)

  // The default stateless check answers without a store read…
  expect((await laptopTab.request.get('/api/whoami')).status()).toBe(200)

  await laptopTab.goto('/devices')
  const laptopRow = laptopTab.locator(`li[data-session-id="${laptopSession}"]`)
  await expect(laptopRow).toHaveAttribute('data-current', 'true')
  await expect(laptopRow.getByText('This device')).toBeVisible()
  // No trusted proxy in front (BATON_TRUST_PROXY=0): the page says why there is no IP, not just "unknown".
  await expect(laptopRow).toContainText('not recorded (no trusted proxy: BATON_TRUST_PROXY is 0)')

  await phoneTab.goto('/devices')
  await expect(phoneTab.locator('li[data-current="true"]').getByText('Safari on iOS')).toBeVisible()
  await phoneTab.locator(`li[data-session-id="${laptopSession}"]`).getByTestId('revoke').click()
  await expect(phoneTab.getByRole('status')).toContainText('The device was signed out')
  await expect(phoneTab.locator(`li[data-session-id="${laptopSession}"]`)).toHaveCount(0)

  // The laptop's access token has not expired yet: both checks refuse it anyway — the strict one
  // (/api/me) reads the store, the stateless one (/api/whoami) heard of the revocation through the
  // feed (Postgres LISTEN/NOTIFY, or the SQLite change check). Asked with the laptop's cookies as
  // they are now, at once: an answer clears the browser's cookies, and with a 10 s token the proxy
  // would soon be refreshing it.
  const cookie = (await laptop.cookies()).map((c) => `${c.name}=${c.value}`).join('; ')
  for (const path of ['/api/whoami', '/api/me']) {
    const answer = await fetch(new URL(path, baseURL), { headers: { cookie } })
    expect(answer.status, path).toBe(401)
    expect((await answer.json()).error.code, path).toBe('ERR_SESSION_REVOKED')
  }
  expect((await phoneTab.request.get('/api/whoami')).status()).toBe(200)
  await laptopTab.goto('/dashboard')
  await expect(laptopTab).toHaveURL(/\/login/)
  // The phone is untouched.
  await phoneTab.goto('/dashboard')
  await expect(phoneTab.getByTestId('user-email')).toHaveText('demo@baton.dev')
  await laptop.close()
  await phone.close()
})
