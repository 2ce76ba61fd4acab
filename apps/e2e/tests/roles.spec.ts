import { expect, sleep, test, twoSignedInDevices } from '../support/fixtures'

// `baton.updateSession()`: a role changed on one device shows there at once — in every tab of that
// browser, which shares its cookies — and on the user's other devices at their next refresh, with
// no new sign-in anywhere. At a person's pace: two devices, a pause, a click, a second tab.
test('a role change reaches this device at once and the other device at its next refresh', async ({
  browser,
  baseURL,
}) => {
  const { laptop, phone, laptopTab, phoneTab } = await twoSignedInDevices(browser, baseURL)
  const role = (page: typeof laptopTab) => page.getByTestId('role')
  await expect(role(laptopTab)).toHaveText('reader')
  await expect(role(phoneTab)).toHaveText('reader')
  const phoneExpiresAt = Number(await phoneTab.getByTestId('expires-at').getAttribute('data-expires-at'))

  await sleep(700)
  await laptopTab.getByTestId('switch-role').click()
  await expect(role(laptopTab)).toHaveText('editor')
  await expect(laptopTab.getByTestId('switch-role')).toHaveText('Make me a reader')
  await laptopTab.screenshot({ path: test.info().outputPath('laptop-editor.png') })

  // A second tab of the laptop shares its cookies: the new access token, no refresh needed.
  const secondTab = await laptop.newPage()
  await secondTab.goto('/dashboard')
  await expect(role(secondTab)).toHaveText('editor')

  // The phone keeps its token until the next refresh; if that is still seconds away, it says reader.
  if (phoneExpiresAt - Date.now() > 5_000) {
    await phoneTab.reload()
    await expect(role(phoneTab)).toHaveText('reader')
  }
  // Past its token's expiry the proxy refreshes on the next navigation: the claims are computed
  // afresh, and the phone is an editor without signing in again.
  await sleep(Math.max(0, phoneExpiresAt - Date.now()) + 500)
  await phoneTab.reload()
  await expect(role(phoneTab)).toHaveText('editor')
  await expect(phoneTab.getByTestId('user-email')).toHaveText('demo@baton.dev')
  await phoneTab.screenshot({ path: test.info().outputPath('phone-editor.png') })

  // Back to reader, so the account is as every other test expects it.
  await laptopTab.getByTestId('switch-role').click()
  await expect(role(laptopTab)).toHaveText('reader')
  await laptop.close()
  await phone.close()
})
