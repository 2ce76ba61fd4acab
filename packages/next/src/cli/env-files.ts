import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { appendMissing, type Outcome } from './write-files.js'

/** Adds `BATON_SECRET=<secret>` to `.env.local` (mode 0600 when new) unless one is already set there. */
export function writeEnvLocal(root: string, secret: string): Outcome {
  const path = join(root, '.env.local')
  const existing = existsSync(path) ? readFileSync(path, 'utf8') : ''
  if (/^\s*(export\s+)?BATON_SECRET\s*=/m.test(existing)) return { file: '.env.local', status: 'unchanged' }
  const lines = [
    '# Signs Baton access tokens: keep it secret. A new one: npx @baton/next secret',
    `BATON_SECRET=${secret}`,
  ]
  return appendMissing(root, '.env.local', lines, () => false, 0o600)
}

/** Patterns any of which already keeps `.env.local` out of git. */
const ENV_PATTERNS = ['.env*', '.env*.local', '.env.local', '*.local', '/.env*', '/.env*.local', '/.env.local']
const DATA_PATTERNS = ['.data', '.data/', '/.data', '/.data/']

/** Git-ignores the SQLite database (`.data/`) and, unless already ignored, `.env*.local`. */
export function writeGitignore(root: string): Outcome {
  return appendMissing(root, '.gitignore', ['.data/', '.env*.local'], (existing, line) => {
    const patterns = new Set(existing.split(/\r?\n/).map((entry) => entry.trim()))
    return (line === '.data/' ? DATA_PATTERNS : ENV_PATTERNS).some((pattern) => patterns.has(pattern))
  })
}
