#!/usr/bin/env node
// The adoption test (issue 14): what a newcomer does, from nothing to a signed-in page.
//
//   1. create-next-app@16 (this workspace's pinned devDependency, run from node_modules) makes a
//      fresh app with its defaults (Cache Components on) in a temp folder;
//   2. `pnpm pack` every public package and `npm install` the tarballs into it, with the peers
//      the Quick start names (drizzle-orm, better-sqlite3, axios) at the versions Baton tests;
//   3. `npx @baton/next init`; then the code a newcomer adds following the READMEs (app-files/)
//      and their own user lookup in place of init's development-only placeholder;
//   4. `next build`: its output must hold no `[baton]` line, no warning naming Baton, no
//      "Date.now()" or uncached-data complaint;
//   5. `next start`, and Chromium signs in from a redirect at a person's pace, sees the user in
//      the server component and in useSession(), calls /api/me through @baton/axios, signs out;
//   6. a React SPA (create-vite's react-ts template, Baton's client tarballs, the code of
//      @baton/react's README, "React SPA") against that app: through Vite's dev proxy with
//      changeOrigin false, and true with the SPA's origin listed on the server (and refused with
//      ERR_CSRF, shown, when it is not); built and served by `vite preview` on another origin,
//      with CORS. Each: sign in, reload, call /api/me, a second tab, sign out;
//   7. the same Next app with `cacheComponents: false`: build, start, a shorter browser pass.
//
// Run after the packages are built: `pnpm --filter adoption run adopt`. KEEP_ADOPTION_DIR=1 keeps
// the temp folder; screenshots are in apps/adoption/artifacts/.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { signInAndOut } from './lib/browser.mjs'
import { installBaton } from './lib/install.mjs'
import { offlineFonts } from './lib/offline-fonts.mjs'
import { freePort, run, runCombined, startNext } from './lib/run.mjs'
import { buildSpa, createSpa, startVite } from './lib/spa.mjs'
import { spaRefused, spaSignInAndOut } from './lib/spa-browser.mjs'

/** A build line that is Baton's, a warning naming it, or Cache Components refusing a read. */
const BUILD_COMPLAINT =
  /\[baton\]|@baton\/|baton\.ts|unstable value|Date\.now\(\)|Uncached data|outside of <Suspense>|Error:|⚠.*baton/i

const here = import.meta.dirname
const artifacts = join(here, 'artifacts')
const account = { email: 'ada@example.com', password: 'correct horse battery staple' }
const started = Date.now()
const log = (message) => console.log(`[adoption ${((Date.now() - started) / 1000).toFixed(1)}s] ${message}`)

const workDir = mkdtempSync(join(tmpdir(), 'baton-adoption-'))
const appDir = join(workDir, 'app')
rmSync(artifacts, { recursive: true, force: true })
mkdirSync(artifacts, { recursive: true })
const fonts = await offlineFonts(workDir)

try {
  // 1. A fresh app, as `npx create-next-app@16 app` answered with the defaults. Saved preferences
  //    live in a config folder of its own; npm runs once, below, with Baton's packages.
  const createNextApp = join(here, 'node_modules', 'create-next-app', 'dist', 'index.js')
  const created = run(
    process.execPath,
    [createNextApp, 'app', '--yes', '--use-npm', '--skip-install', '--disable-git'],
    { cwd: workDir, env: { XDG_CONFIG_HOME: join(workDir, 'config'), NEXT_TELEMETRY_DISABLED: '1' } },
  )
  const config = () => readFileSync(join(appDir, 'next.config.ts'), 'utf8')
  if (!/\bcacheComponents:\s*true\b/.test(config()))
    throw new Error(`create-next-app's defaults no longer turn Cache Components on:\n${config()}\n${created}`)
  // package.json's react and react-dom are the app's: check-peer-ranges counts them as tested.
  const pinned = readJson(join(here, 'package.json')).devDependencies
  const appDependencies = readJson(join(appDir, 'package.json')).dependencies
  for (const name of ['react', 'react-dom'])
    if (appDependencies[name] !== pinned[name])
      throw new Error(`create-next-app pins ${name}@${appDependencies[name]}: set apps/adoption's devDependency to it`)
  log(`create-next-app ${pinned['create-next-app']}: Cache Components on, react@${appDependencies.react}`)

  // 2. Baton from the packed tarballs, with the app's own dependencies; the SPA from the same.
  const { summary, tarballs } = installBaton({ appDir, tarballDir: join(workDir, 'tarballs') })
  log(summary)
  const spa = createSpa({ workDir, tarballs })
  log(spa.summary)

  // 3. init, then what a newcomer writes.
  const initOutput = run('npx', ['--no', '@baton/next', 'init'], { cwd: appDir })
  log(`init:\n${indent(initOutput)}`)
  cpSync(join(here, 'app-files'), appDir, { recursive: true })
  replaceFindUser(join(appDir, 'lib', 'baton.ts'))
  allowSpaOrigins(join(appDir, 'lib', 'baton.ts'))
  wrapLayout(join(appDir, 'app', 'layout.tsx'))

  // 4–7. Build, start and sign in, with Cache Components (and the SPA against it) and without.
  await buildAndSignIn({ label: 'cache-components', personPace: true, spaDir: spa.spaDir })
  writeFileSync(
    join(appDir, 'next.config.ts'),
    config()
      .replace(/\bcacheComponents:\s*true,?/, 'cacheComponents: false,')
      .replace(/^\s*partialPrefetching:\s*true,?\n/m, ''),
  )
  await buildAndSignIn({ label: 'no-cache-components', personPace: false })
  log('passed')
} catch (error) {
  console.error(`\n✗ adoption: ${error.message}\n  (screenshots in ${artifacts}; KEEP_ADOPTION_DIR=1 keeps the app)`)
  process.exitCode = 1
} finally {
  await fonts.close()
  if (process.env.KEEP_ADOPTION_DIR) console.log(`app kept at ${appDir}`)
  else rmSync(workDir, { recursive: true, force: true })
}

/**
 * `next build` (no Baton complaint in its output), `next start`, and the Chromium pass; with
 * `spaDir`, the SPA passes against the same server.
 */
async function buildAndSignIn({ label, personPace, spaDir }) {
  const output = await runCombined(process.execPath, ['node_modules/next/dist/bin/next', 'build'], {
    cwd: appDir,
    env: { NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'production', ...fonts.env },
  })
  writeFileSync(join(artifacts, `${label}-build.log`), output)
  const complaints = output.split('\n').filter((line) => BUILD_COMPLAINT.test(line))
  if (complaints.length > 0) throw new Error(`${label}: next build complained:\n${indent(complaints.join('\n'))}`)
  log(`${label}: next build passed, no Baton warning`)
  const ports = { next: await freePort(), proxy: await freePort(), listed: await freePort(), cors: await freePort() }
  const origin = (port) => `http://127.0.0.1:${port}`
  const server = await startNext(appDir, ports.next, {
    SPA_ORIGIN: origin(ports.cors),
    SPA_PROXY_ORIGIN: origin(ports.listed),
  })
  try {
    await signInAndOut({ url: server.url, account, label, artifacts, personPace })
    if (spaDir) await spaPasses({ spaDir, apiOrigin: server.url, ports })
    const serverComplaints = server
      .output()
      .split('\n')
      .filter((line) => /\[baton\]|⨯|Error:/.test(line))
    if (serverComplaints.length > 0)
      throw new Error(`${label}: next start logged:\n${indent(serverComplaints.join('\n'))}`)
    log(`${label}: signed in and out in Chromium at ${server.url}`)
  } catch (error) {
    writeFileSync(join(artifacts, `${label}-server.log`), server.output())
    throw error
  } finally {
    await server.stop()
  }
}

/**
 * The SPA against the running Next app at `apiOrigin`: Vite's dev proxy (changeOrigin false;
 * true on an origin the server lists; true on one it does not, refused), then the built SPA on
 * another origin with CORS.
 */
async function spaPasses({ spaDir, apiOrigin, ports }) {
  const variants = [
    { label: 'spa-proxy', port: ports.proxy, changeOrigin: false, personPace: true },
    { label: 'spa-proxy-change-origin', port: ports.listed, changeOrigin: true },
  ]
  for (const { label, port, changeOrigin, personPace = false } of variants) {
    const vite = await startVite({ spaDir, port, apiOrigin, changeOrigin })
    try {
      await spaSignInAndOut({ url: vite.url, account, label, artifacts, personPace })
      log(`${label}: signed in, reloaded, called /api/me, two tabs, signed out at ${vite.url}`)
    } finally {
      await vite.stop()
    }
  }
  const refused = await startVite({ spaDir, port: await freePort(), apiOrigin, changeOrigin: true })
  try {
    await spaRefused({ url: refused.url, account, label: 'spa-proxy-unlisted', artifacts })
    log(`spa-proxy-unlisted: changeOrigin true, origin not listed: ERR_CSRF shown, nothing retried`)
  } finally {
    await refused.stop()
  }
  const build = await buildSpa({ spaDir, apiOrigin })
  writeFileSync(join(artifacts, 'spa-build.log'), build)
  const preview = await startVite({ spaDir, port: ports.cors, apiOrigin, preview: true })
  try {
    await spaSignInAndOut({ url: preview.url, apiOrigin, account, label: 'spa-cors', artifacts, personPace: true })
    log(`spa-cors: the built SPA at ${preview.url}, its API at ${apiOrigin} with CORS: the same pass`)
  } finally {
    await preview.stop()
  }
}

/**
 * The SPA's origins in lib/baton.ts, as @baton/react's README says: `cors.origins` for the SPA on
 * another origin, `allowedOrigins` for a proxy that rewrites Host (from env: ports are free ones).
 */
function allowSpaOrigins(file) {
  const text = readFileSync(file, 'utf8')
  const options = '  secret,\n'
  if (!text.includes(options)) throw new Error(`init's ${file} changed shape:\n${text}`)
  const origins = `  // The React SPA: on another origin (CORS), and behind a dev proxy that rewrites Host.
  cors: process.env.SPA_ORIGIN ? { origins: [process.env.SPA_ORIGIN] } : undefined,
  allowedOrigins: process.env.SPA_PROXY_ORIGIN ? [process.env.SPA_PROXY_ORIGIN] : undefined,
`
  writeFileSync(file, text.replace(options, options + origins))
}

/**
 * The newcomer's part of lib/baton.ts: init's `findUser` is a TODO with a development-only
 * account, so a production build (`next start`) signs no one in until it is replaced.
 */
function replaceFindUser(file) {
  const text = readFileSync(file, 'utf8')
  const at = text.indexOf('// TODO: look the user up')
  if (at < 0 || !text.includes('async function findUser('))
    throw new Error(`init's ${file} has no findUser TODO:\n${text}`)
  const lookup = `// The app's users (your database here): a password is only ever stored as hashPassword's output.
const users = new Map([['${account.email}', { id: 'ada', name: 'Ada', passwordHash: hashPassword('${account.password}') }]])

async function findUser(email: string): Promise<User | null> {
  const user = users.get(email)
  return user ? { id: user.id, email, name: user.name, passwordHash: await user.passwordHash } : null
}
`
  writeFileSync(file, text.slice(0, at) + lookup)
}

/**
 * The newcomer's edit of create-next-app's root layout, as @baton/react's README shows it: the
 * page inside `<Suspense fallback={null}><SessionProvider>` (app-files/app/session-provider.tsx).
 */
function wrapLayout(file) {
  const text = readFileSync(file, 'utf8')
  const body = /(<body[^>]*>)\s*\{children\}\s*(<\/body>)/
  const lastImport = text.lastIndexOf('\nimport ')
  if (!body.test(text) || lastImport < 0) throw new Error(`create-next-app's ${file} changed shape:\n${text}`)
  const importsEnd = text.indexOf('\n', lastImport + 1) + 1
  const imports = "import { Suspense } from 'react'\nimport { SessionProvider } from './session-provider'\n"
  const wrapped = '$1\n<Suspense fallback={null}>\n<SessionProvider>{children}</SessionProvider>\n</Suspense>\n$2'
  writeFileSync(file, text.slice(0, importsEnd) + imports + text.slice(importsEnd).replace(body, wrapped))
}

function readJson(path) {
  return JSON.parse(readFileSync(path, 'utf8'))
}

function indent(text) {
  return text
    .trim()
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n')
}
