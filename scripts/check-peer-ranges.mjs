#!/usr/bin/env node
// Every third-party peer range a package promises is tested at both ends.
//
// For each peer dependency of packages/*/package.json (except `@baton/*`,
// which scripts/check-release.mjs checks against the versions being released):
//
//   1. the range has the form `>=X.Y.Z <C`: a floor that is one exact
//      version and a ceiling (the next major not yet tested; for 0.x the next
//      minor), so it never promises a future major nobody has run;
//   2. the floor is a version some tested workspace installs
//      (node_modules/<peer>/package.json of packages/*, packages/*/fixture*,
//      apps/*), so the oldest version a user may install is one the tests ran;
//   3. the newest installed version is inside the range, so the catalog never
//      moves past what the packages promise.
//
// Exits 1 with what to do on any failure. Needs `pnpm install` first.
//   node scripts/check-peer-ranges.mjs
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'

const root = resolve(import.meta.dirname, '..')

/** Directories whose node_modules hold the versions the tests run against. */
function testedWorkspaces() {
  const dirs = []
  for (const parent of ['packages', 'apps']) {
    for (const name of readdirSync(join(root, parent))) {
      const dir = join(root, parent, name)
      if (!existsSync(join(dir, 'package.json'))) continue
      dirs.push(dir)
      if (parent !== 'packages') continue
      for (const sub of readdirSync(dir)) {
        if (sub.startsWith('fixture') && existsSync(join(dir, sub, 'package.json'))) dirs.push(join(dir, sub))
      }
    }
  }
  return dirs
}

/** `1.2.3-rc.1` → [1, 2, 3, hasPrerelease]; a missing part is 0 (`<17` is `<17.0.0`). */
function parse(version) {
  const [core, pre] = version.split('-', 2)
  const parts = core.split('.').map(Number)
  return [parts[0] ?? 0, parts[1] ?? 0, parts[2] ?? 0, pre === undefined ? 1 : 0]
}

function compare(a, b) {
  const x = parse(a)
  const y = parse(b)
  for (let i = 0; i < 4; i++) if (x[i] !== y[i]) return x[i] - y[i]
  return 0
}

/** Installed versions of `name` per workspace: Map<version, workspace paths>. */
function installedVersions(name, workspaces) {
  const found = new Map()
  for (const dir of workspaces) {
    const manifest = join(dir, 'node_modules', name, 'package.json')
    if (!existsSync(manifest)) continue
    const { version } = JSON.parse(readFileSync(manifest, 'utf8'))
    found.set(version, [...(found.get(version) ?? []), relative(root, dir)])
  }
  return found
}

const RANGE = /^>=(\d+\.\d+\.\d+) <(\d+(?:\.\d+){0,2})$/
const workspaces = testedWorkspaces()
const problems = []
let checked = 0

for (const dir of workspaces.filter((d) => relative(root, d).split('/').length === 2 && d.includes('/packages/'))) {
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))
  if (pkg.private) continue
  for (const [peer, range] of Object.entries(pkg.peerDependencies ?? {})) {
    if (peer.startsWith('@baton/')) continue
    checked++
    const where = `${pkg.name} peer ${peer} "${range}"`
    const installed = installedVersions(peer, workspaces)
    const versions = [...installed.keys()].sort(compare)
    const tested = versions.map((v) => `${v} (${installed.get(v).join(', ')})`).join('; ') || 'none'
    if (versions.length === 0) {
      problems.push(
        `${where}: no tested workspace installs ${peer}. Add it to the devDependencies of a package whose tests use it (catalog: version), or drop the peer.`,
      )
      continue
    }
    const lowest = versions[0]
    const newest = versions.at(-1)
    const match = RANGE.exec(range)
    if (!match) {
      problems.push(
        `${where}: write the range as ">=<lowest tested version> <<next untested major>", e.g. ">=${lowest} <${parse(newest)[0] + 1}" (for 0.x the ceiling is the next minor). Tested: ${tested}.`,
      )
      continue
    }
    const [, floor, ceiling] = match
    if (!installed.has(floor)) {
      problems.push(
        `${where}: its floor ${floor} is not a version any test runs (tested: ${tested}). Raise the floor to ">=${lowest}", or add a workspace (like packages/next/fixture-next15) that installs ${peer}@${floor} and tests it.`,
      )
    }
    if (compare(newest, ceiling) >= 0 || compare(newest, floor) < 0) {
      problems.push(
        `${where}: the newest tested version ${newest} is outside the range. Move the ceiling past it only once the tests pass on it (e.g. "<${parse(newest)[0] + 1}"), in every packages/*/package.json and README that states the range, with a changeset.`,
      )
    }
  }
}

if (problems.length > 0) {
  console.error(`Peer ranges promise versions nothing tests:\n\n${problems.map((p) => `  - ${p}`).join('\n')}`)
  process.exit(1)
}
console.log(`${checked} peer ranges: each floor is a tested version and the newest tested version is in range.`)
