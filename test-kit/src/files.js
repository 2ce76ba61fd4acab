import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

/** @type {typeof import('./index.js').listFiles} */
export function listFiles(dir, skip = () => false) {
  /** @type {string[]} */
  const out = []
  if (!existsSync(dir)) return out
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (skip(path)) continue
    if (entry.isDirectory()) out.push(...listFiles(path, skip))
    else if (entry.isFile()) out.push(path)
  }
  return out
}

/** @type {typeof import('./index.js').distIsStale} */
export function distIsStale(dir) {
  const dist = listFiles(join(dir, 'dist'))
  if (dist.length === 0) return true
  const built = Math.min(...dist.map((file) => statSync(file).mtimeMs))
  const inputs = [
    ...listFiles(join(dir, 'src'), (path) => /\.(test|test-d|fixture)\.ts$/.test(path)),
    ...['package.json', 'tsdown.config.ts', 'tsconfig.json'].map((f) => join(dir, f)).filter((f) => existsSync(f)),
  ]
  return inputs.some((file) => statSync(file).mtimeMs > built)
}
