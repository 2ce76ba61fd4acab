// next/font/google without Google: create-next-app's layout loads Geist and Geist Mono, which
// `next build` downloads. Next's own test switch NEXT_FONT_GOOGLE_MOCKED_RESPONSES (a module of
// stylesheet per URL, honoured by Turbopack) makes the build offline and deterministic; the font
// files the stylesheets name are a stub served from 127.0.0.1 for the length of the test.
import { writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { join } from 'node:path'

/** The stylesheet URLs create-next-app@16's app/layout.tsx makes next/font request. */
const FAMILIES = ['Geist', 'Geist Mono']

/**
 * Serves a stub font on a free port and writes the mocked-responses module into `dir`. Returns
 * the env to build with and `close()`. A build that asks for another URL fails with
 * "url not found": add its family here.
 */
export async function offlineFonts(dir) {
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'font/woff2' })
    response.end('wOF2 stub')
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  const fontUrl = `http://127.0.0.1:${server.address().port}/stub.woff2`
  const responses = Object.fromEntries(
    FAMILIES.map((family) => [
      `https://fonts.googleapis.com/css2?family=${family.replaceAll(' ', '+')}:wght@100..900&display=swap`,
      `@font-face { font-family: '${family}'; font-style: normal; font-weight: 100 900; font-display: swap; src: url(${fontUrl}) format('woff2'); }`,
    ]),
  )
  const file = join(dir, 'google-fonts-mock.cjs')
  writeFileSync(file, `module.exports = ${JSON.stringify(responses, null, 2)}\n`)
  return {
    env: { NEXT_FONT_GOOGLE_MOCKED_RESPONSES: file },
    close: () => new Promise((resolve) => server.close(resolve)),
  }
}
