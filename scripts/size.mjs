#!/usr/bin/env node
// Size budget of every package that declares one in its package.json:
//
//   "size": { "limit": 1536, "entry": "./dist/index.js" }
//
// The built entry is bundled the way an app's bundler would take it: its
// dependencies and the workspace packages it peers on (e.g. @baton/core,
// whose code ships with it) are bundled in, every other peer (axios, react)
// stays external. Then minify, gzip at level 9, print the figure, and exit 1
// when a package is over its limit (bytes). Run after a build:
//   pnpm run build && node scripts/size.mjs
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { gzipSync } from 'node:zlib'
import { build } from 'esbuild'

const root = resolve(import.meta.dirname, '..')
const readJson = (path) => JSON.parse(readFileSync(path, 'utf8'))

const packages = readdirSync(join(root, 'packages'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(join(root, 'packages', entry.name, 'package.json')))
  .map((entry) => ({ dir: join(root, 'packages', entry.name) }))
  .map((pkg) => ({ ...pkg, manifest: readJson(join(pkg.dir, 'package.json')) }))
const workspaceNames = new Set(packages.map(({ manifest }) => manifest.name))
const budgeted = packages.filter(({ manifest }) => manifest.size)

let failed = false
for (const { dir, manifest } of budgeted) {
  const { limit, entry } = manifest.size
  const name = `${manifest.name} (${entry})`
  if (!Number.isInteger(limit) || typeof entry !== 'string') {
    console.error(`✗ ${name}: "size" needs { "limit": <bytes>, "entry": "./dist/…" }`)
    failed = true
    continue
  }
  if (!existsSync(join(dir, entry))) {
    console.error(`✗ ${name}: ${entry} does not exist (build first)`)
    failed = true
    continue
  }
  const external = Object.keys(manifest.peerDependencies ?? {}).filter((peer) => !workspaceNames.has(peer))
  const result = await build({
    absWorkingDir: dir,
    entryPoints: [entry],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    external: external.flatMap((peer) => [peer, `${peer}/*`]),
    write: false,
    logLevel: 'silent',
  })
  const code = result.outputFiles[0].contents
  const gzipped = gzipSync(code, { level: 9 }).length
  const over = gzipped > limit
  failed ||= over
  const externals = external.length > 0 ? `, external: ${external.join(', ')}` : ''
  console.log(`${over ? '✗' : '✓'} ${name}: ${gzipped} B min+gz (${code.length} B min), limit ${limit} B${externals}`)
}
if (budgeted.length === 0) console.log('size: no package declares a "size" budget')
process.exitCode = failed ? 1 : 0
