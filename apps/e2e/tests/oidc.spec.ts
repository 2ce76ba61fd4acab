import { join } from 'node:path'
import type { BrowserContext, Page, TestInfo } from '@playwright/test'
import { expect, sleep, test } from '../support/fixtures'
import { OIDC_ACCESS_TTL } from '../support/oidc'

/**
 * OIDC mode (the `oidc` project): the demo signs in at a local oidc-provider (test-kit, its
 * development pages: any login is an account, name = Login, email = login@example.com) whose
 * access tokens live OIDC_ACCESS_TTL seconds. A person's pace: pauses, typing key by key, clicks.
 */
const SHOTS = join(import.meta.dirname, '..', 'artifacts', 'screenshots')
const LOGIN = 'grace'

async function shot(page: Page, info: TestInfo, name: string): Promise<void> {
  const path = join(SHOTS, `oidc-${name}.png`)
  await page.screenshot({ path, fullPage: true })
  await info.attach(name, { path, contentType: 'image/png' })
}

/** oidc-provider's development pages @import a web font: nothing leaves this machine. */
async function offline(context: BrowserContext): Promise<void> {
  await context.route(/^https:\/\/fonts\.(googleapis|gstatic)\.com\//, (route) => route.abort())
}

/** `GET /api/me` as the page's own script would, with its cookies. */
function fetchMe(page: Page): Promise<{ status: number; body: Record<string, unknown> }> {
  return page.evaluate(async () => {
    const response = await fetch('/api/me', { credentials: 'same-origin' })
    return { status: response.status, body: await response.json().catch(() => ({})) }
  })
}

/** At the provider: the login page, typed slowly, then the consent page. */
async function signInAtProviderPages(page: Page, info: TestInfo | null, issuer: string): Promise<void> {
  await expect(page).toHaveURL(new RegExp(`^${issuer}/interaction/`))
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sign-in')
  if (info) await shot(page, info, '2-provider-login')
  await sleep(800)
  await page.locator('input[name="login"]').pressSequentially(LOGIN, { delay: 120 })
  await page.locator('input[name="password"]').pressSequentially('any password', { delay: 60 })
  await sleep(400)
  await page.getByRole('button', { name: 'Sign-in' }).click()
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Authorize')
  if (info) await shot(page, info, '3-provider-consent')
  await sleep(600)
  await page.getByRole('button', { name: 'Continue' }).click()
}

test.describe('OpenID Connect mode', () => {
  test('sign in at the provider, userinfo, one provider refresh for two tabs, sign out at the provider', async ({
    page,
    context,
    oidc,
  }, info) => {
    test.setTimeout(120_000)
    if (!oidc) throw new Error('the oidc project starts a provider')
    const { provider } = oidc
    const issuerHost = new URL(provider.issuer).host
    await offline(context)

    // Signed out: the protected page sends the person to /login.
    await page.goto('/dashboard')
    await expect(page).toHaveURL(/\/login\?next=%2Fdashboard$/)
    const button = page.getByTestId('oidc-sign-in')
    await expect(button).toHaveText(`Sign in with ${issuerHost}`)
    await shot(page, info, '1-login')
    await sleep(1_500) // reading the page
    await button.click()

    await signInAtProviderPages(page, info, provider.issuer)

    // Back on the page asked for, with the provider's name and email.
    await expect(page).toHaveURL(/\/dashboard$/)
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Hello, Grace')
    await expect(page.getByTestId('user-email')).toHaveText(`${LOGIN}@example.com`)
    await expect(page.getByTestId('user-name')).toHaveText('Grace')
    // Streamed in behind <Suspense>: visible, not only in the document.
    await expect(page.getByTestId('server-api-result')).toBeVisible()
    await expect(page.getByTestId('server-api-result')).toContainText(`${LOGIN}@example.com`)
    await shot(page, info, '4-dashboard')

    // /api/me answers the provider's userinfo, called with the provider's access token.
    const me = await fetchMe(page)
    expect(me).toEqual({
      status: 200,
      body: { sub: LOGIN, name: 'Grace', email: `${LOGIN}@example.com`, email_verified: true },
    })

    // A second tab; then past the provider token's lifetime, both tabs at once → one refresh_token grant.
    const tab = await context.newPage()
    await tab.goto('/dashboard')
    await expect(tab.getByRole('heading', { level: 1 })).toHaveText('Hello, Grace')
    await sleep((OIDC_ACCESS_TTL + 1) * 1_000)
    const before = provider.counts.refreshToken
    const [a, b] = await Promise.all([fetchMe(page), fetchMe(tab)])
    expect(a).toEqual(me)
    expect(b).toEqual(me)
    expect(provider.counts.refreshToken - before).toBe(1)
    expect(provider.events.filter((e) => e.type === 'refresh_token.reused')).toEqual([])
    await tab.close()

    // RP-initiated sign-out: the form → the provider's confirmation → back at /login, signed out.
    const revocations = provider.counts.revocation
    await page.reload()
    await sleep(800)
    await page.getByTestId('provider-sign-out').click()
    await expect(page).toHaveURL(new RegExp(`^${provider.issuer}/session/end`))
    await expect(page.getByRole('heading', { level: 1 })).toContainText('sign-out')
    await shot(page, info, '5-provider-sign-out')
    await sleep(600)
    await page.getByRole('button', { name: 'Yes, sign me out' }).click()
    await expect(page).toHaveURL(/\/login(\?|$)/)
    await expect(page.getByTestId('oidc-sign-in')).toBeVisible()
    await shot(page, info, '6-signed-out')
    await expect.poll(() => provider.counts.revocation).toBeGreaterThan(revocations)
    expect((await fetchMe(page)).status).toBe(401)
    await page.goto('/dashboard')
    await expect(page).toHaveURL(/\/login\?next=%2Fdashboard$/)
  })

  test('a tampered callback (bad state) signs nobody in and says so on /login', async ({
    page,
    context,
    oidc,
  }, info) => {
    if (!oidc) throw new Error('the oidc project starts a provider')
    await offline(context)
    await page.goto('/login')
    await page.getByTestId('oidc-sign-in').click()
    // Hold the provider's redirect back to the app, to change its state. Playwright's `route` sees only
    // the first URL of a redirect chain, so this is Chromium's own interception (CDP Fetch).
    await context.unrouteAll()
    const cdp = await context.newCDPSession(page)
    const held = new Promise<string>((resolve) => {
      cdp.on('Fetch.requestPaused', (event) => {
        resolve(event.request.url)
        void cdp.send('Fetch.failRequest', { requestId: event.requestId, errorReason: 'Aborted' })
      })
    })
    await cdp.send('Fetch.enable', {
      patterns: [{ urlPattern: '*/api/auth/callback/oidc?*', requestStage: 'Request' }],
    })
    await signInAtProviderPages(page, null, oidc.provider.issuer)
    const url = new URL(await held)
    await cdp.send('Fetch.disable')
    await cdp.detach()
    expect(url.searchParams.get('code')).toBeTruthy()
    url.searchParams.set('state', `${url.searchParams.get('state')}x`)
    await page.goto(url.href)

    // The attempt's cookie is found by its state: a changed state finds none (transaction_missing).
    await expect(page).toHaveURL(/\/login\?error=ERR_OIDC_SIGN_IN&reason=(transaction_missing|invalid_response)$/)
    await expect(page.getByTestId('login-error')).toContainText('Signing in with the provider did not complete')
    await expect(page.getByTestId('oidc-sign-in')).toBeVisible()
    await shot(page, info, '7-tampered-callback')
    expect((await fetchMe(page)).status).toBe(401)
  })

  test('"Sign out" (POST /api/auth/logout) ends the session here and revokes the provider’s refresh token', async ({
    page,
    context,
    oidc,
  }) => {
    if (!oidc) throw new Error('the oidc project starts a provider')
    await offline(context)
    await page.goto('/dashboard')
    await page.getByTestId('oidc-sign-in').click()
    await signInAtProviderPages(page, null, oidc.provider.issuer)
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Hello, Grace')
    const revocations = oidc.provider.counts.revocation
    await sleep(800)
    await page.getByTestId('sign-out').click()
    await expect(page).toHaveURL(/\/login(\?|$)/)
    await expect(page.getByTestId('oidc-sign-in')).toBeVisible()
    await expect.poll(() => oidc.provider.counts.revocation).toBeGreaterThan(revocations)
    expect((await fetchMe(page)).status).toBe(401)
  })
})
