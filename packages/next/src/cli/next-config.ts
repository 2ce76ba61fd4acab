/** The line init adds to next.config: better-sqlite3 is a native module, loaded by Node, never bundled. */
export const SERVER_EXTERNAL = "serverExternalPackages: ['better-sqlite3']"

/** A next.config.ts for an app that has none. */
export const NEW_NEXT_CONFIG = `import type { NextConfig } from 'next'

const nextConfig: NextConfig = {
  // better-sqlite3 (Baton's SQLite store) is a native module: loaded by Node, never bundled.
  ${SERVER_EXTERNAL},
}

export default nextConfig
`

/**
 * Adds `'better-sqlite3'` to `serverExternalPackages` in a next.config's text.
 * `present`: nothing to do; null: the file's shape is not one recognised here
 * (the caller prints the line to add instead of guessing).
 */
export function addServerExternal(text: string): string | 'present' | null {
  const quote = count(text, '"') > count(text, "'") ? '"' : "'"
  const entry = `${quote}better-sqlite3${quote}`
  if (/\bserverExternalPackages\b/.test(text)) {
    const list = /\bserverExternalPackages\s*:\s*\[([^\]]*)\]/.exec(text)
    if (!list || count(text, 'serverExternalPackages') !== 1) return null
    if (/['"`]better-sqlite3['"`]/.test(list[1] as string)) return 'present'
    const at = list.index + list[0].indexOf('[') + 1
    const items = (list[1] as string).trim()
    return `${text.slice(0, at)}${entry}${items ? ', ' : ''}${items ? text.slice(at).trimStart() : text.slice(at + (list[1] as string).length)}`
  }
  const open = configObjectStart(text)
  if (open === null) return null
  const rest = text.slice(open + 1)
  const property = `serverExternalPackages: [${entry}],`
  if (/^\s*}/.test(rest)) return `${text.slice(0, open + 1)}\n  ${property}\n${rest.trimStart()}`
  const nextLine = /^[ \t]*\r?\n([ \t]*)\S/.exec(rest)
  if (nextLine) return `${text.slice(0, open + 1)}\n${nextLine[1] || '  '}${property}${rest}`
  return `${text.slice(0, open + 1)} ${property}${rest.startsWith(' ') ? '' : ' '}${rest}`
}

/**
 * The index of the `{` opening the exported config object: `export default {`,
 * `module.exports = {`, or a `const name = {` (typed or not) that is exported,
 * possibly through one wrapper call (`export default withX(name)`). Null otherwise.
 */
function configObjectStart(text: string): number | null {
  const direct = [...text.matchAll(/(?:export\s+default|module\.exports\s*=)\s*\{/g)]
  if (direct.length === 1) return (direct[0]?.index ?? 0) + (direct[0]?.[0].length ?? 0) - 1
  if (direct.length > 1) return null
  const exported = [
    ...text.matchAll(/^(?:export\s+default|module\.exports\s*=)\s+(?:[\w$.]+\()?([A-Za-z_$][\w$]*)\)?\s*;?\s*$/gm),
  ]
  if (exported.length !== 1) return null
  const name = exported[0]?.[1] as string
  const declared = [...text.matchAll(new RegExp(`(?:const|let|var)\\s+${name}\\s*(?::\\s*[\\w$.]+\\s*)?=\\s*\\{`, 'g'))]
  if (declared.length !== 1) return null
  return (declared[0]?.index ?? 0) + (declared[0]?.[0].length ?? 0) - 1
}

function count(text: string, part: string): number {
  return text.split(part).length - 1
}
