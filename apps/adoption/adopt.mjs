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
//   6. the same app with `cacheComponents: false`: build, start, a shorter browser pass.
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

  // 2. Baton from the packed tarballs, with the app's own dependencies.
  log(installBaton({ appDir, tarballDir: join(workDir, 'tarballs') }))

  // 3. init, then what a newcomer writes.
  const initOutput = run('npx', ['--no', '@baton/next', 'init'], { cwd: appDir })
  log(`init:\n${indent(initOutput)}`)
  cpSync(join(here, 'app-files'), appDir, { recursive: true })
  replaceFindUser(join(appDir, 'lib', 'baton.ts'))
  wrapLayout(join(appDir, 'app', 'layout.tsx'))

  // 4–6. Build, start and sign in, with Cache Components and without.
  await buildAndSignIn({ label: 'cache-components', personPace: true })
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

/** `next build` (no Baton complaint in its output), `next start`, and the Chromium pass. */
async function buildAndSignIn({ label, personPace }) {
  const output = await runCombined(process.execPath, ['node_modules/next/dist/bin/next', 'build'], {
    cwd: appDir,
    env: { NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'production', ...fonts.env },
  })
  writeFileSync(join(artifacts, `${label}-build.log`), output)
  const complaints = output.split('\n').filter((line) => BUILD_COMPLAINT.test(line))
  if (complaints.length > 0) throw new Error(`${label}: next build complained:\n${indent(complaints.join('\n'))}`)
  log(`${label}: next build passed, no Baton warning`)
  const server = await startNext(appDir, await freePort())
  try {
    await signInAndOut({ url: server.url, account, label, artifacts, personPace })
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
