import { join } from 'node:path'
import { expect, signIn, test } from '../support/fixtures'

const SHOTS = join(import.meta.dirname, '..', 'artifacts', 'screenshots')

test.describe('8. screenshots of login, dashboard and devices', () => {
  for (const viewport of [
    { name: 'desktop', width: 1280, height: 900 },
    { name: 'phone', width: 390, height: 844 },
  ]) {
    test(`${viewport.name}`, async ({ page }, info) => {
      await page.setViewportSize(viewport)
      const shot = async (name: string) => {
        const path = join(SHOTS, `${info.project.name}-${viewport.name}-${name}.png`)
        await page.screenshot({ path, fullPage: true })
        await info.attach(name, { path, contentType: 'image/png' })
      }
      await page.goto('/login')
      await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible()
      await shot('login')
      await signIn(page)
      await page.getByTestId('call-api-10').click()
      await expect(page.getByTestId('api-result')).toContainText('10/10 succeeded')
      await expect(page.getByTestId('server-api-result')).toContainText('demo@baton.dev')
      await shot('dashboard')
      await page.goto('/devices')
      await expect(page.getByText('This device')).toBeVisible()
      await shot('devices')
      // Nothing overflows sideways on a narrow screen.
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
      expect(overflow).toBeLessThanOrEqual(0)
    })
  }
})
