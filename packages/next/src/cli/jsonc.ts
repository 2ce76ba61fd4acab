/**
 * Parses JSON with comments and trailing commas (tsconfig.json, jsconfig.json),
 * or returns null when the text is not that. Strings are kept intact, so a
 * path like `"./src/*"` is never mistaken for the start of a comment.
 */
export function parseJsonc(text: string): unknown {
  let out = ''
  for (let i = 0; i < text.length; i++) {
    const char = text[i] as string
    if (char === '"') {
      const end = endOfString(text, i)
      out += text.slice(i, end)
      i = end - 1
    } else if (char === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++
      out += '\n'
    } else if (char === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2)
      i = end === -1 ? text.length : end + 1
    } else out += char
  }
  try {
    return JSON.parse(out.replace(/,(\s*[}\]])/g, '$1'))
  } catch {
    return null
  }
}

/** The index just past the closing quote of the string opening at `start`. */
function endOfString(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === '\\') i++
    else if (text[i] === '"') return i + 1
  }
  return text.length
}
