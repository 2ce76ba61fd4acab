import { EMAIL, expect, PASSWORD, signIn, test } from '../support/fixtures'

test.describe('1. sign in and out', () => {
  test('sign in → the dashboard shows the user; sign out → back to /login', async ({ page }) => {
    await page.goto('/dashboard')
    await expect(page).toHaveURL(/\/login\?next=%2Fdashboard/)
    await signIn(page)
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Hello, Demo User')
    await expect(page.getByTestId('server-api-result')).toContainText(EMAIL)
    // The demo mounts <BatonDevtools />, which renders nothing under `next start` (the devtools project sees it under `next dev`).
    await expect(page.getByRole('button', { name: 'Baton', exact: true })).toHaveCount(0)
    await expect(page.locator('[data-baton-devtools]')).toHaveCount(0)
    // …and the proxy reports nothing on a page it checks (its `devtools` option is off in production).
    await page.reload()
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Hello, Demo User')
    const timing = await page.evaluate(() =>
      (performance.getEntriesByType('navigation') as PerformanceNavigationTiming[]).flatMap((e) =>
        e.serverTiming.map((t) => t.name),
      ),
    )
    expect(timing).not.toContain('baton')
    await page.getByTestId('sign-out').click()
    await page.waitForURL('**/login')
    await page.goto('/dashboard')
    await expect(page).toHaveURL(/\/login/)
  })

  test('a wrong password shows a clear message and signs nobody in', async ({ page }) => {
    await page.goto('/login')
    await page.getByLabel('Password').fill('wrong-password')
    await page.getByTestId('sign-in').click()
    await expect(page.getByTestId('login-error')).toHaveText('Wrong email or password.')
    await expect(page).toHaveURL(/\/login/)
  })

  test('the refresh token is never visible to JavaScript, and nothing lands in storage', async ({ page, context }) => {
    await signIn(page)
    await page.getByTestId('call-api').click()
    await expect(page.getByTestId('api-result')).toContainText('1/1 succeeded')
    const visible = await page.evaluate(() => ({
      cookie: document.cookie,
      local: Object.keys(localStorage).length,
      session: Object.keys(sessionStorage).length,
    }))
    expect(visible).toEqual({ cookie: '', local: 0, session: 0 })
    const cookies = await context.cookies()
    expect(cookies.map((c) => c.name).sort()).toEqual(['baton.at', 'baton.rt'])
    for (const cookie of cookies) expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' })
  })
})

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false })

  test('the login form works through the server action, and errors are shown', async ({ page }) => {
    await page.goto('/login')
    await page.getByLabel('Password').fill('nope')
    await page.getByTestId('sign-in').click()
    await expect(page.getByTestId('login-error')).toHaveText('Wrong email or password.')
    await page.getByLabel('Email').fill(EMAIL)
    await page.getByLabel('Password').fill(PASSWORD)
    await page.getByTestId('sign-in').click()
    await page.waitForURL('**/dashboard')
    await expect(page.getByTestId('user-email')).toHaveText(EMAIL)
    await page.getByTestId('sign-out').click()
    await page.waitForURL('**/login?error=signed_out')
    await expect(page.getByTestId('login-error')).toHaveText('You are signed out.')
  })
})
