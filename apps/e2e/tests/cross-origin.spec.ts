import { createServer, type Server } from 'node:http'
import { freePort } from '../support/demo-server'
import { expect, renderedSessionId, signIn, test } from '../support/fixtures'

/** A page on another origin (same host, another port) that tries to refresh and sign the user out. */
function attackerPage(target: string): string {
  return `<!doctype html><title>pending</title>
<form id="logout" method="POST" action="${target}/api/auth/logout" enctype="text/plain">
  <input name='{"everywhere":true,"x":"' value='"}'>
</form>
<form id="refresh" method="POST" action="${target}/api/auth/refresh"></form>
<script>
  async function attempt(path, init) {
    try { const r = await fetch('${target}' + path, { method: 'POST', credentials: 'include', ...init }); return r.status }
    catch { return 'blocked' }
  }
  (async () => {
    const refresh = await attempt('/api/auth/refresh', {})
    const logout = await attempt('/api/auth/logout', { headers: { 'content-type': 'text/plain' }, body: '{"everywhere":true}' })
    const noCors = await attempt('/api/auth/logout', { mode: 'no-cors', body: '{}' })
    document.title = JSON.stringify({ refresh, logout, noCors })
  })()
</script>`
}

test('7. a cross-origin page cannot refresh or sign out the user', async ({ page, context, demo }) => {
  await signIn(page)
  const sessionId = await renderedSessionId(page)
  // No tab of the app stays open, so nothing rotates the cookies but an attack.
  await page.close()
  const cookiesBefore = await context.cookies()
  const port = await freePort()
  const server: Server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' }).end(attackerPage(demo.url))
  })
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve))
  const attackerOrigin = `http://127.0.0.1:${port}`
  const refused: number[] = []
  context.on('response', (response) => {
    const path = new URL(response.url()).pathname
    if (path === '/api/auth/refresh' || path === '/api/auth/logout') refused.push(response.status())
  })

  try {
    const evil = await context.newPage()
    await evil.goto(attackerOrigin)
    await expect(evil).not.toHaveTitle('pending')
    const results = JSON.parse(await evil.title())
    // The responses are unreadable cross-origin (no CORS), and the server refused them anyway.
    expect(results).toEqual({ refresh: 'blocked', logout: 'blocked', noCors: 0 })
    // Top-level cross-site form posts (text/plain JSON smuggling, and a bare refresh).
    for (const form of ['logout', 'refresh']) {
      await evil.goto(attackerOrigin)
      const navigation = evil.waitForResponse((r) => r.url().includes(`/api/auth/${form}`))
      await evil.locator(`#${form}`).evaluate((f: HTMLFormElement) => f.submit())
      expect((await navigation).status()).toBe(403)
      await evil.waitForURL(`**/api/auth/${form}`)
      expect(await evil.textContent('body')).toContain('ERR_CSRF')
    }
    // Every answer the browser saw was a refusal (CORS-blocked fetches may not surface one).
    expect(refused.length).toBeGreaterThanOrEqual(2)
    expect(refused.every((status) => status === 403)).toBe(true)

    // Nothing changed: same cookies, same session, still signed in.
    const after = await context.cookies()
    expect(after.find((c) => c.name === 'baton.rt')?.value).toBe(
      cookiesBefore.find((c) => c.name === 'baton.rt')?.value,
    )
    const tab = await context.newPage()
    await tab.goto('/dashboard')
    expect(await renderedSessionId(tab)).toBe(sessionId)
  } finally {
    server.close()
  }
})
