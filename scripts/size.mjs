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
//
// Two optional fields, for a package whose entry depends on NODE_ENV
// (@baton/devtools):
//   "define": { "process.env.NODE_ENV": "\"development\"" }  replaced while
//     bundling for the budget, as the app's bundler would;
//   "productionMax": 200  a second bundle with NODE_ENV "production" must be
//     at most this many bytes minified (i.e. essentially nothing is left).
//
// Another mode checks that a string is absent from a directory of built
// chunks (e.g. that an app's production build holds no devtools panel):
//   node scripts/size.mjs --absent-in apps/demo/.next/static [--marker data-baton-devtools]
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { gzipSync } from 'node:zlib'
import { build } from 'esbuild'
import { filesContaining } from './lib/absent-in.mjs'

const root = resolve(import.meta.dirname, '..')
const readJson = (path) => JSON.parse(readFileSync(path, 'utf8'))

const { values: args } = parseArgs({
  options: { 'absent-in': { type: 'string' }, marker: { type: 'string', default: 'data-baton-devtools' } },
})
if (args['absent-in']) {
  const dir = resolve(process.cwd(), args['absent-in'])
  try {
    const { found, searched } = filesContaining(dir, args.marker)
    if (found.length > 0) {
      console.error(`✗ "${args.marker}" is in ${found.length} of ${searched} built files under ${dir}:`)
      for (const path of found) console.error(`  ${path}`)
      process.exit(1)
    }
    console.log(`✓ "${args.marker}" is in none of the ${searched} built files under ${dir}`)
  } catch (error) {
    console.error(`✗ ${error.message}`)
    process.exit(1)
  }
  process.exit(0)
}

const packages = readdirSync(join(root, 'packages'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(join(root, 'packages', entry.name, 'package.json')))
  .map((entry) => ({ dir: join(root, 'packages', entry.name) }))
  .map((pkg) => ({ ...pkg, manifest: readJson(join(pkg.dir, 'package.json')) }))
const workspaceNames = new Set(packages.map(({ manifest }) => manifest.name))
const budgeted = packages.filter(({ manifest }) => manifest.size)

/** The entry bundled, minified: its bytes, and gzipped at level 9. */
async function measure(dir, entry, external, define) {
  const result = await build({
    absWorkingDir: dir,
    entryPoints: [entry],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    external: external.flatMap((peer) => [peer, `${peer}/*`]),
    define,
    write: false,
    logLevel: 'silent',
  })
  const code = result.outputFiles[0].contents
  return { min: code.length, gzipped: gzipSync(code, { level: 9 }).length }
}

const defines = (define) =>
  Object.entries(define)
    .map(([key, value]) => `${key}=${value}`)
    .join(', ')

let failed = false
for (const { dir, manifest } of budgeted) {
  const { limit, entry, define = {}, productionMax } = manifest.size
  const name = `${manifest.name} (${entry})`
  const validDefine = typeof define === 'object' && Object.values(define).every((v) => typeof v === 'string')
  if (!Number.isInteger(limit) || typeof entry !== 'string' || !validDefine) {
    console.error(
      `✗ ${name}: "size" needs { "limit": <bytes>, "entry": "./dist/…", "define"?: { "<expr>": "<code>" } }`,
    )
    failed = true
    continue
  }
  if (productionMax !== undefined && !Number.isInteger(productionMax)) {
    console.error(`✗ ${name}: "productionMax" must be a number of bytes`)
    failed = true
    continue
  }
  if (!existsSync(join(dir, entry))) {
    console.error(`✗ ${name}: ${entry} does not exist (build first)`)
    failed = true
    continue
  }
  const external = Object.keys(manifest.peerDependencies ?? {}).filter((peer) => !workspaceNames.has(peer))
  const { min, gzipped } = await measure(dir, entry, external, define)
  const over = gzipped > limit
  failed ||= over
  const externals = external.length > 0 ? `, external: ${external.join(', ')}` : ''
  const defined = Object.keys(define).length > 0 ? `, ${defines(define)}` : ''
  console.log(`${over ? '✗' : '✓'} ${name}: ${gzipped} B min+gz (${min} B min), limit ${limit} B${externals}${defined}`)
  if (productionMax === undefined) continue
  const production = { ...define, 'process.env.NODE_ENV': '"production"' }
  const left = await measure(dir, entry, external, production)
  const tooBig = left.min > productionMax
  failed ||= tooBig
  console.log(
    `${tooBig ? '✗' : '✓'} ${name} in production: ${left.min} B min (${left.gzipped} B min+gz), ` +
      `at most ${productionMax} B, ${defines(production)}`,
  )
}
if (budgeted.length === 0) console.log('size: no package declares a "size" budget')
process.exitCode = failed ? 1 : 0
