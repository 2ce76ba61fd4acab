import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { availableParallelism, cpus, release, totalmem, type } from 'node:os'
import { join } from 'node:path'

/** Packages whose versions the results depend on (resolved from bench/node_modules, then bench/next-app's). */
const PACKAGES = [
  'better-sqlite3',
  'drizzle-orm',
  'pg',
  '@electric-sql/pglite',
  'tsx',
  'jose',
  'next',
  'react',
  'axios',
  'autocannon',
  'better-auth',
  'esbuild',
]

export interface Machine {
  date: string
  cpu: string
  cores: number
  memory: string
  os: string
  node: string
  commit: string
  packages: Record<string, string>
}

function commit(root: string): string {
  try {
    const sha = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim()
    const dirty = execFileSync('git', ['status', '--porcelain'], { cwd: root, encoding: 'utf8' }).trim() !== ''
    return dirty ? `${sha} (with uncommitted changes)` : sha
  } catch {
    return 'unknown'
  }
}

export function describeMachine(benchDir: string): Machine {
  const packages: Record<string, string> = {}
  for (const name of PACKAGES) {
    packages[name] = 'not installed'
    for (const dir of [benchDir, join(benchDir, 'next-app')]) {
      try {
        const manifest = JSON.parse(readFileSync(join(dir, 'node_modules', name, 'package.json'), 'utf8'))
        packages[name] = String(manifest.version)
        break
      } catch {
        // not in this one
      }
    }
  }
  const cpuList = cpus()
  return {
    date: new Date().toISOString(),
    cpu: cpuList[0]?.model.trim() ?? 'unknown',
    cores: availableParallelism(),
    memory: `${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
    os: `${type()} ${release()} ${process.arch}`,
    node: process.version,
    commit: commit(join(benchDir, '..')),
    packages,
  }
}
