#!/usr/bin/env node
// What the next release would publish, checked before anyone publishes it.
//
//   1. Copy the workspace's manifests, `.changeset/` and every public package
//      (sources and dist, no node_modules) into a temporary directory, switch
//      the changelog to changesets' default one (the configured
//      `@changesets/changelog-github` needs a GITHUB_TOKEN) and run the
//      repository's own `changeset version` there.
//   2. Assert every package's new version is what its changesets ask: its old
//      version incremented by the highest bump the `.changeset/*.md` files
//      name for it, and unchanged when none names it. The expectation is
//      computed from the files, so it holds for whatever changesets exist.
//   3. `pnpm pack` each public package of the versioned copy (pnpm rewrites
//      `workspace:` and `catalog:` ranges as `pnpm publish` will) and assert,
//      in the packed manifest, the version and that every peer range on a
//      `@baton/*` package accepts that package's new version and stays below
//      its next major (a published adapter must require a compatible core).
//   4. `npm publish --dry-run` each tarball.
//
// Exits 1 with the reasons on any problem. Run after a build (the tarballs
// need dist/):  pnpm run build && node scripts/check-release.mjs
// Set KEEP_RELEASE_DIR=1 to keep the temp copy for inspection.
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join, relative, resolve } from 'node:path'
import { pnpm, run } from './lib/run.mjs'

const root = resolve(import.meta.dirname, '..')
const require = createRequire(join(root, 'package.json'))
const changesetsCli = dirname(require.resolve('@changesets/cli/package.json'))
// semver comes with @changesets/cli (the root has no direct dependency on it).
const semver = createRequire(join(changesetsCli, 'package.json'))('semver')

const readJson = (path) => JSON.parse(readFileSync(path, 'utf8'))

/** Workspace package directories, from the `packages:` globs of pnpm-workspace.yaml (`dir` or `dir/*`). */
function workspaceDirs() {
  const yaml = readFileSync(join(root, 'pnpm-workspace.yaml'), 'utf8')
  const block = yaml.match(/^packages:\n((?:[ \t]+-.*\n?)+)/m)
  if (!block) throw new Error('pnpm-workspace.yaml has no packages: list')
  const globs = [...block[1].matchAll(/-\s*['"]?([^'"\n]+?)['"]?\s*$/gm)].map((m) => m[1])
  return globs.flatMap((glob) => {
    if (!glob.endsWith('/*')) return [join(root, glob)]
    const parent = join(root, glob.slice(0, -2))
    if (!existsSync(parent)) return []
    return readdirSync(parent, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => join(parent, entry.name))
  })
}

const BUMPS = ['none', 'patch', 'minor', 'major']

/** `{ name → highest bump }` over every changeset file in `dir` (frontmatter `"name": bump` lines). */
function bumpsFromChangesets(dir) {
  const bumps = new Map()
  const files = readdirSync(dir).filter((f) => f.endsWith('.md') && f !== 'README.md')
  for (const file of files) {
    const lines = readFileSync(join(dir, file), 'utf8').split(/\r?\n/)
    const end = lines.indexOf('---', 1)
    if (lines[0] !== '---' || end < 0) throw new Error(`.changeset/${file} has no frontmatter`)
    for (const line of lines.slice(1, end)) {
      if (line.trim() === '') continue
      const m = line.match(/^\s*(['"]?)([^'"]+)\1\s*:\s*(none|patch|minor|major)\s*$/)
      if (!m) throw new Error(`.changeset/${file}: cannot read "${line}"`)
      const [, , name, bump] = m
      if (BUMPS.indexOf(bump) > BUMPS.indexOf(bumps.get(name) ?? 'none')) bumps.set(name, bump)
    }
  }
  return { bumps, files }
}

const problems = []
const fail = (message) => problems.push(message)

const workDir = mkdtempSync(join(tmpdir(), 'baton-release-'))
const copyDir = join(workDir, 'repo')
const tarballDir = join(workDir, 'tarballs')

try {
  // 1. The copy: manifests of every workspace, whole public packages without node_modules.
  const packages = workspaceDirs()
    .filter((dir) => existsSync(join(dir, 'package.json')))
    .map((dir) => ({ dir, rel: relative(root, dir), manifest: readJson(join(dir, 'package.json')) }))
  const publicPackages = packages.filter((p) => !p.manifest.private && p.rel.startsWith('packages/'))
  if (publicPackages.length === 0) throw new Error('no public packages under packages/*')
  mkdirSync(copyDir, { recursive: true })
  for (const file of ['package.json', 'pnpm-workspace.yaml']) cpSync(join(root, file), join(copyDir, file))
  cpSync(join(root, '.changeset'), join(copyDir, '.changeset'), { recursive: true })
  for (const p of packages) {
    if (publicPackages.includes(p)) {
      if (!existsSync(join(p.dir, 'dist'))) throw new Error(`${p.manifest.name} has no dist/ (build first)`)
      cpSync(p.dir, join(copyDir, p.rel), {
        recursive: true,
        filter: (src) => !/(^|\/)(node_modules|\.turbo)$/.test(relative(p.dir, src)),
      })
    } else {
      mkdirSync(join(copyDir, p.rel), { recursive: true })
      cpSync(join(p.dir, 'package.json'), join(copyDir, p.rel, 'package.json'))
    }
  }
  const configPath = join(copyDir, '.changeset', 'config.json')
  const config = readJson(configPath)
  writeFileSync(configPath, JSON.stringify({ ...config, changelog: require.resolve('@changesets/cli/changelog') }))

  const { bumps, files } = bumpsFromChangesets(join(copyDir, '.changeset'))
  console.log(`${files.length} changesets: ${[...bumps].map(([name, bump]) => `${name} ${bump}`).join(', ')}`)
  for (const name of bumps.keys()) {
    if (!packages.some((p) => p.manifest.name === name))
      fail(`a changeset names ${name}, which is not in the workspace`)
  }

  // changesets' own binary, as `pnpm version-packages` runs it; without a token on purpose.
  const env = { ...process.env }
  delete env.GITHUB_TOKEN
  run(process.execPath, [join(changesetsCli, 'bin.js'), 'version'], copyDir, env)

  // 2. Versions as the changesets ask.
  const newVersions = new Map()
  for (const p of packages) {
    const after = readJson(join(copyDir, p.rel, 'package.json'))
    const bump = bumps.get(p.manifest.name) ?? 'none'
    const before = p.manifest.version
    const expected = p.manifest.private || bump === 'none' ? before : semver.inc(before, bump)
    newVersions.set(p.manifest.name, after.version)
    if (after.version !== expected) {
      fail(
        `${p.manifest.name}: changeset version made ${before} → ${after.version}, but its changesets ask for ` +
          `${bump === 'none' || p.manifest.private ? 'no release' : `a ${bump} bump`} (${expected})`,
      )
    } else if (!p.manifest.private) {
      console.log(`  ${p.manifest.name}: ${before} → ${after.version} (${bump})`)
    }
  }

  // 3. Pack the versioned copy; check versions and @baton/* peer ranges as consumers will see them.
  // pnpm resolves a `workspace:` range from the installed package: link each to its versioned copy.
  const dirOf = new Map(packages.map((p) => [p.manifest.name, join(copyDir, p.rel)]))
  for (const p of publicPackages) {
    const manifest = readJson(join(copyDir, p.rel, 'package.json'))
    for (const field of ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies']) {
      for (const [name, range] of Object.entries(manifest[field] ?? {})) {
        const link = join(copyDir, p.rel, 'node_modules', name)
        if (!range.startsWith('workspace:') || existsSync(link)) continue
        mkdirSync(dirname(link), { recursive: true })
        symlinkSync(dirOf.get(name), link, 'dir')
      }
    }
  }
  for (const p of publicPackages) {
    const dir = join(copyDir, p.rel)
    const packed = JSON.parse(pnpm(['pack', '--json', '--pack-destination', tarballDir], dir))
    p.tarball = packed.filename
    const manifest = JSON.parse(run('tar', ['-xzOf', p.tarball, 'package/package.json'], workDir))
    p.packed = manifest
    if (manifest.version !== newVersions.get(p.manifest.name)) {
      fail(
        `${p.manifest.name}: the tarball says ${manifest.version}, changeset version ${newVersions.get(p.manifest.name)}`,
      )
    }
    for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies']) {
      for (const [name, range] of Object.entries(manifest[field] ?? {})) {
        if (/^(workspace|catalog):/.test(range))
          fail(`${p.manifest.name}: ${field}.${name} is still "${range}" when packed`)
        if (!newVersions.has(name)) continue
        const version = newVersions.get(name)
        const nextMajor = semver.inc(version, 'major')
        if (!semver.validRange(range)) fail(`${p.manifest.name}: ${field}.${name} "${range}" is no semver range`)
        else if (!semver.satisfies(version, range)) {
          fail(`${p.manifest.name}: ${field}.${name} "${range}" does not accept ${name} ${version}, released with it`)
        } else if (semver.satisfies(nextMajor, range)) {
          fail(`${p.manifest.name}: ${field}.${name} "${range}" has no upper bound below ${name} ${nextMajor}`)
        } else {
          console.log(`  ${p.manifest.name} ${manifest.version}: ${field}.${name} "${range}" accepts ${version}`)
        }
      }
    }
  }

  // 4. npm's own pre-publish checks on each tarball.
  for (const p of publicPackages) {
    // --offline: npm's own checks of the tarball, without asking a registry (unreachable in some CI sandboxes).
    run('npm', ['publish', '--dry-run', '--offline', '--access', 'public', p.tarball], workDir)
    console.log(`  npm publish --dry-run ${relative(tarballDir, p.tarball)}: ok`)
  }
} catch (error) {
  fail(error instanceof Error ? error.message : String(error))
} finally {
  if (process.env.KEEP_RELEASE_DIR) console.log(`kept ${workDir}`)
  else rmSync(workDir, { recursive: true, force: true })
}

if (problems.length > 0) {
  console.error(`✗ check-release:\n  ${problems.join('\n  ')}`)
  process.exit(1)
}
console.log(
  '✓ check-release: changeset version does what the changesets say; every tarball passes npm publish --dry-run',
)
