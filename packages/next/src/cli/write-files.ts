import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'

/** What init did with one file. */
export type Outcome =
  | { file: string; status: 'created' | 'updated' | 'unchanged' | 'overwritten' }
  | { file: string; status: 'skipped'; reason: string }

/**
 * Writes a generated file unless a different one is there: an identical file
 * is `unchanged`, a changed one is `skipped` (never touched) unless `force`.
 */
export function writeGenerated(root: string, file: string, content: string, force: boolean): Outcome {
  const path = join(root, file)
  if (existsSync(path)) {
    if (readFileSync(path, 'utf8') === content) return { file, status: 'unchanged' }
    if (!force)
      return { file, status: 'skipped', reason: 'exists and differs from what init writes (--force replaces it)' }
    writeFileSync(path, content)
    return { file, status: 'overwritten' }
  }
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(path, content, { flag: 'wx' })
  return { file, status: 'created' }
}

/**
 * Appends `lines` that `present` does not find in the file (creating it if
 * need be), keeping what is there: `unchanged` when nothing was missing.
 */
export function appendMissing(
  root: string,
  file: string,
  lines: readonly string[],
  present: (existing: string, line: string) => boolean,
  mode?: number,
): Outcome {
  const path = join(root, file)
  const existing = existsSync(path) ? readFileSync(path, 'utf8') : null
  const missing = lines.filter((line) => !present(existing ?? '', line))
  if (missing.length === 0) return { file, status: 'unchanged' }
  const separator = existing && !existing.endsWith('\n') ? '\n' : ''
  writeFileSync(path, `${existing ?? ''}${separator}${missing.join('\n')}\n`, mode === undefined ? {} : { mode })
  return { file, status: existing === null ? 'created' : 'updated' }
}
