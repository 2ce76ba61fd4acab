// Baton into the app the way a user gets it from npm: `pnpm pack`ed tarballs, `npm install`.
import { cpSync, existsSync, readdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { run } from './run.mjs'

const root = resolve(import.meta.dirname, '..', '..', '..')
/** The peers the Quick start installs beside Baton (axios: "Calling an API with axios?"). */
const PEERS = ['drizzle-orm', 'better-sqlite3', 'axios']

/**
 * Packs every public package under packages/* (pnpm rewrites `workspace:` and `catalog:` as
 * `pnpm publish` does) and runs one `npm install` in `appDir`: the app's own dependencies, the
 * tarballs, and PEERS at the version Baton's tests use. Returns a one-line summary and the
 * tarballs' paths by package name (for the SPA, lib/spa.mjs).
 */
export function installBaton({ appDir, tarballDir }) {
  const packages = publicPackages()
  const tarballs = packages.map((dir) => {
    if (!existsSync(join(dir, 'dist'))) throw new Error(`${dir} has no dist/: build the packages first`)
    return JSON.parse(pnpm(['pack', '--json', '--pack-destination', tarballDir], dir)).filename
  })
  const peers = PEERS.map((peer) => testedPeer(peer, packages))
  // Install scripts are skipped (nothing the app runs needs them), then better-sqlite3 reuses
  // the workspace's build of the same version (compiling it takes ~90 s), else is rebuilt.
  const flags = ['--no-audit', '--no-fund', '--loglevel=error', '--prefer-offline', '--ignore-scripts']
  run('npm', ['install', ...flags, ...tarballs, ...peers], { cwd: appDir })
  const sqlite = join(appDir, 'node_modules', 'better-sqlite3')
  const built = packages
    .map((dir) => join(dir, 'node_modules', 'better-sqlite3'))
    .find((d) => existsSync(join(d, 'build')))
  if (built && readJson(join(built, 'package.json')).version === readJson(join(sqlite, 'package.json')).version)
    cpSync(join(built, 'build'), join(sqlite, 'build'), { recursive: true })
  else run('npm', ['rebuild', 'better-sqlite3'], { cwd: appDir })
  const versions = ['next', 'react', '@baton/next', ...PEERS].map(
    (name) => `${name}@${readJson(join(appDir, 'node_modules', name, 'package.json')).version}`,
  )
  const byName = Object.fromEntries(packages.map((dir, i) => [readJson(join(dir, 'package.json')).name, tarballs[i]]))
  return { summary: `installed ${tarballs.length} tarballs: ${versions.join(', ')}`, tarballs: byName }
}

/** `peer@version`, the version installed for Baton's own tests (PEERS, and axios for the SPA). */
export function testedPeer(peer, packages = publicPackages()) {
  return `${peer}@${testedVersion(peer, packages)}`
}

/** The folders of every public package under packages/*. */
function publicPackages() {
  return readdirSync(join(root, 'packages'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(root, 'packages', entry.name, 'package.json')))
    .map((entry) => join(root, 'packages', entry.name))
    .filter((dir) => !readJson(join(dir, 'package.json')).private)
}

/** The version of `peer` installed in a package's node_modules (what its tests ran with). */
function testedVersion(peer, packages) {
  for (const dir of packages) {
    const manifest = join(dir, 'node_modules', peer, 'package.json')
    if (existsSync(manifest)) return readJson(manifest).version
  }
  throw new Error(`no package under packages/* has ${peer} installed`)
}

/** Under `pnpm run` pnpm is on PATH; otherwise the README's `npx --yes pnpm@10`. */
function pnpm(args, cwd) {
  if (process.env.npm_execpath?.includes('pnpm')) return run('pnpm', args, { cwd })
  return run('npx', ['--yes', 'pnpm@10', ...args], { cwd })
}

function readJson(path) {
  return JSON.parse(readFileSync(path, 'utf8'))
}
