#!/usr/bin/env node
// Installs every public package under packages/* the way a user gets it from
// npm, and imports each of its entry points.
//
//   1. `pnpm pack` each package (pnpm rewrites `workspace:` and `catalog:`
//      ranges exactly as `pnpm publish` will) and check the tarball holds no
//      test files;
//   2. create a fresh ESM project in the OS temp dir, outside the workspace,
//      and `npm install` all tarballs plus every peer dependency from the
//      registry (peers at the version the package is tested with);
//   3. import every `exports` entry (except ./package.json) in its own Node
//      process.
//
// Exits 1 with the reason on the first problem. Run after a build:
//   pnpm run build && node scripts/smoke-packed.mjs
// Set KEEP_SMOKE_DIR=1 to keep the temp project for inspection.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { pnpm, run } from './lib/run.mjs'

const root = resolve(import.meta.dirname, '..')
const TEST_FILE = /(^|\/)(__tests__\/|[^/]+\.(test|spec|test-d)\.[cm]?[jt]sx?$|vitest\.config\.|tsconfig\.test\.json$)/

const readJson = (path) => JSON.parse(readFileSync(path, 'utf8'))

const packages = readdirSync(join(root, 'packages'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => join(root, 'packages', entry.name))
  .filter((dir) => existsSync(join(dir, 'package.json')))
  .map((dir) => ({ dir, manifest: readJson(join(dir, 'package.json')) }))
  .filter(({ manifest }) => !manifest.private)
if (packages.length === 0) {
  console.error('✗ smoke-packed: no public packages found under packages/*')
  process.exit(1)
}

const workDir = mkdtempSync(join(tmpdir(), 'baton-smoke-'))
const tarballDir = join(workDir, 'tarballs')
const projectDir = join(workDir, 'project')
const workspaceNames = new Set(packages.map(({ manifest }) => manifest.name))

try {
  // 1. Pack, and inspect what went into each tarball.
  for (const pkg of packages) {
    const { name, exports } = pkg.manifest
    if (!exports) throw new Error(`${name} has no "exports" map`)
    const packed = JSON.parse(pnpm(['pack', '--json', '--pack-destination', tarballDir], pkg.dir))
    pkg.tarball = packed.filename
    pkg.files = packed.files.map((file) => file.path)
    const testFiles = pkg.files.filter((path) => TEST_FILE.test(path))
    if (testFiles.length > 0) throw new Error(`${name} tarball contains test files:\n  ${testFiles.join('\n  ')}`)
    if (!pkg.files.some((path) => path.startsWith('dist/')))
      throw new Error(`${name} tarball has no dist/ (build first)`)
  }

  // 2. A fresh project outside the workspace: tarballs + peers from the registry.
  // A peer gets the version the package's own tests run with (its installed
  // devDependency), else the declared range; workspace peers come from tarballs.
  const peers = new Map()
  for (const { dir, manifest } of packages) {
    for (const [peer, range] of Object.entries(manifest.peerDependencies ?? {})) {
      if (workspaceNames.has(peer) || peers.has(peer)) continue
      const installed = join(dir, 'node_modules', peer, 'package.json')
      peers.set(peer, existsSync(installed) ? readJson(installed).version : range)
    }
  }
  mkdirSync(projectDir)
  run('npm', ['init', '-y'], projectDir)
  const project = readJson(join(projectDir, 'package.json'))
  writeFileSync(join(projectDir, 'package.json'), JSON.stringify({ ...project, type: 'module' }, null, 2))
  const specs = [...packages.map((pkg) => pkg.tarball), ...[...peers].map(([peer, version]) => `${peer}@${version}`)]
  // Install scripts are skipped, then native peers reuse the workspace's build
  // of the same version (better-sqlite3 takes ~90 s to compile), else rebuild.
  run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', '--ignore-scripts', ...specs], projectDir)
  for (const [peer, version] of peers) {
    const target = join(projectDir, 'node_modules', peer)
    if (!existsSync(join(target, 'binding.gyp'))) continue
    const built = packages.map(({ dir }) => join(dir, 'node_modules', peer)).find((d) => existsSync(join(d, 'build')))
    if (built && readJson(join(built, 'package.json')).version === version)
      cpSync(join(built, 'build'), join(target, 'build'), { recursive: true })
    else run('npm', ['rebuild', peer], projectDir)
  }

  // 3. Import every entry point in a clean Node process.
  for (const { manifest, files } of packages) {
    const entries = Object.keys(manifest.exports).filter((key) => key !== './package.json')
    const wildcard = entries.find((key) => key.includes('*'))
    if (wildcard) throw new Error(`${manifest.name}: cannot smoke-test wildcard export "${wildcard}"; list entries`)
    const results = entries.map((entry) => {
      const specifier = manifest.name + entry.slice(1)
      const code = `const m = await import(${JSON.stringify(specifier)}); console.log(Object.keys(m).length)`
      try {
        return `${entry} (${run('node', ['--input-type=module', '-e', code], projectDir).trim()} exports)`
      } catch (error) {
        throw new Error(`import '${specifier}' failed from a fresh install:\n${error.message}`)
      }
    })
    const usedPeers = Object.keys(manifest.peerDependencies ?? {}).map(
      (peer) => `${peer}@${peers.get(peer) ?? 'tarball'}`,
    )
    // A package may ship a functional smoke test beside its manifest (not in the tarball).
    const smoke = join(packages.find((pkg) => pkg.manifest === manifest).dir, 'smoke.mjs')
    if (existsSync(smoke)) {
      try {
        results.push(`smoke.mjs: ${run('node', [smoke], projectDir).trim()}`)
      } catch (error) {
        throw new Error(`${manifest.name}: smoke.mjs failed from a fresh install:\n${error.message}`)
      }
    }
    const peerNote = usedPeers.length > 0 ? `; peers ${usedPeers.join(', ')}` : ''
    console.log(
      `✓ ${manifest.name}@${manifest.version}: ${files.length} files, imports ok: ${results.join(', ')}${peerNote}`,
    )
  }
  if (!process.env.KEEP_SMOKE_DIR) rmSync(workDir, { recursive: true, force: true })
} catch (error) {
  console.error(`\n✗ smoke-packed: ${error.message}\n  (temp project kept at ${workDir})`)
  process.exitCode = 1
}
