// "This code is not in that build": the files of a directory of built output that contain a marker string.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'

/** Extensions of the text files a bundler emits (chunks, pages, payloads). */
const BUILT_TEXT = /\.(m?js|cjs|html|css|json|rsc|txt)$/

/**
 * Every built text file under `dir` (recursively) whose content includes
 * `marker`, and how many files were searched. Throws when `dir` is not a
 * directory or holds no built file, so a missing build does not pass as "absent".
 */
export function filesContaining(dir, marker) {
  if (!statSync(dir, { throwIfNoEntry: false })?.isDirectory())
    throw new Error(`${dir} is not a directory (build first)`)
  const found = []
  let searched = 0
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !BUILT_TEXT.test(entry.name)) continue
    const path = join(entry.parentPath, entry.name)
    searched++
    if (readFileSync(path, 'utf8').includes(marker)) found.push(path)
  }
  if (searched === 0) throw new Error(`${dir} holds no built file (build first)`)
  return { found, searched }
}
