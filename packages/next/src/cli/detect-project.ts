import { existsSync, readFileSync, statSync } from 'node:fs'
import { join, posix, relative, resolve } from 'node:path'
import { parseJsonc } from './jsonc.js'

/** What `init` needs to know about the app it writes into. */
export interface Project {
  /** The app's root: where package.json is. */
  root: string
  /** `src` when the app keeps its code under `src/` (create-next-app's "src directory"), else ``. */
  srcDir: '' | 'src'
  /** The import prefix that reaches the code directory, e.g. `@/` for `"@/*": ["./src/*"]`; null: none. */
  alias: string | null
  /** The next.config file's name, or null when the app has none. */
  nextConfig: string | null
  /** `cacheComponents: true` in next.config. */
  cacheComponents: boolean
  /** The major version of `next` in package.json, or null when it is not a plain version range. */
  nextMajor: number | null
}

/** A project `init` cannot work in: the message says why and what to do. */
export class InitError extends Error {
  override name = 'InitError'
}

const CONFIG_FILES = ['next.config.ts', 'next.config.mts', 'next.config.mjs', 'next.config.js', 'next.config.cjs']

/** Reads package.json, the directory layout, tsconfig.json and next.config of the app at `root`. */
export function detectProject(root: string): Project {
  const manifest = readManifest(root)
  const next = manifest.dependencies?.next ?? manifest.devDependencies?.next
  if (typeof next !== 'string')
    throw new InitError(`${join(root, 'package.json')} does not depend on "next": run init in a Next.js app.`)
  if (!existsSync(join(root, 'tsconfig.json')))
    throw new InitError('No tsconfig.json: init writes TypeScript. Add TypeScript to the app first (next dev does it).')
  const inSrc =
    isDirectory(join(root, 'src', 'app')) || (!isDirectory(join(root, 'app')) && isDirectory(join(root, 'src')))
  const srcDir = inSrc ? 'src' : ''
  const nextConfig = CONFIG_FILES.find((file) => existsSync(join(root, file))) ?? null
  const configText = nextConfig ? readFileSync(join(root, nextConfig), 'utf8') : ''
  return {
    root,
    srcDir,
    alias: findAlias(root, srcDir),
    nextConfig,
    cacheComponents: /\bcacheComponents\s*:\s*true\b/.test(configText),
    nextMajor: majorOf(next),
  }
}

interface Manifest {
  dependencies?: Record<string, unknown>
  devDependencies?: Record<string, unknown>
}

function readManifest(root: string): Manifest {
  const file = join(root, 'package.json')
  if (!existsSync(file)) throw new InitError(`No package.json in ${root}: run init at the root of a Next.js app.`)
  const manifest = parseJsonc(readFileSync(file, 'utf8'))
  if (!manifest || typeof manifest !== 'object') throw new InitError(`${file} is not valid JSON.`)
  return manifest as Manifest
}

/**
 * The `compilerOptions.paths` key whose target is the code directory, as an
 * import prefix: `"@/*": ["./src/*"]` → `@/`. Null when no alias reaches it.
 */
function findAlias(root: string, srcDir: string): string | null {
  const config = parseJsonc(readFileSync(join(root, 'tsconfig.json'), 'utf8')) as {
    compilerOptions?: { baseUrl?: unknown; paths?: Record<string, unknown> }
  } | null
  const options = config?.compilerOptions
  const base = resolve(root, typeof options?.baseUrl === 'string' ? options.baseUrl : '.')
  const codeDir = resolve(root, srcDir)
  for (const [key, targets] of Object.entries(options?.paths ?? {})) {
    if (!key.endsWith('/*') || !Array.isArray(targets)) continue
    const target = targets[0]
    if (typeof target !== 'string' || !target.endsWith('/*')) continue
    if (relative(resolve(base, target.slice(0, -2)), codeDir) === '') return key.slice(0, -1)
  }
  return null
}

function majorOf(range: string): number | null {
  const match = /^[\^~>=v\s]*(\d+)/.exec(range)
  return match ? Number(match[1]) : null
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory()
  } catch {
    return false
  }
}

/** The specifier that imports `module` (a path from the app's root, no extension) from `fromFile`. */
export function importPath(project: Project, fromFile: string, module: string): string {
  if (project.alias) return `${project.alias}${project.srcDir ? posix.relative(project.srcDir, module) : module}`
  const path = posix.relative(posix.dirname(fromFile), module)
  return path.startsWith('.') ? path : `./${path}`
}
