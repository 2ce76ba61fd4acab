/**
 * A same-site path to send the browser to after sign-in, or null: it must
 * start with one `/` (not `//` or `/\`, which browsers read as another host),
 * hold no control characters or backslashes, and stay under 2 KB.
 */
export function safeReturnPath(value: unknown): string | null {
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\'))
    return null
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is refused
  if (/[\u0000-\u001f\\]/.test(value) || value.length > 2048) return null
  return value
}
