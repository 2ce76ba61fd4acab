import { describe, expect, it } from 'vitest'
import { addServerExternal } from './next-config.js'

describe('addServerExternal', () => {
  it('adds the entry to the exported object, in the file’s quote style and indentation', () => {
    expect(addServerExternal('export default {\n    reactStrictMode: true,\n}\n')).toBe(
      "export default {\n    serverExternalPackages: ['better-sqlite3'],\n    reactStrictMode: true,\n}\n",
    )
    expect(addServerExternal('const nextConfig = {};\n\nexport default nextConfig;\n')).toBe(
      "const nextConfig = {\n  serverExternalPackages: ['better-sqlite3'],\n};\n\nexport default nextConfig;\n",
    )
    expect(addServerExternal('module.exports = { output: "standalone" }\n')).toBe(
      'module.exports = { serverExternalPackages: ["better-sqlite3"], output: "standalone" }\n',
    )
  })

  it('finds the config through one wrapper call', () => {
    const text = 'const config = {\n  images: {},\n}\nexport default withMdx(config)\n'
    expect(addServerExternal(text)).toBe(
      "const config = {\n  serverExternalPackages: ['better-sqlite3'],\n  images: {},\n}\nexport default withMdx(config)\n",
    )
  })

  it('extends an existing list, and leaves one that has better-sqlite3 alone', () => {
    expect(addServerExternal("export default { serverExternalPackages: ['pg'] }")).toBe(
      "export default { serverExternalPackages: ['better-sqlite3', 'pg'] }",
    )
    expect(addServerExternal('export default { serverExternalPackages: [] }')).toBe(
      "export default { serverExternalPackages: ['better-sqlite3'] }",
    )
    expect(addServerExternal("export default { serverExternalPackages: ['pg', 'better-sqlite3'] }")).toBe('present')
  })

  it('gives up (null) on shapes it does not recognise rather than guess', () => {
    expect(addServerExternal('export default async (phase) => ({ reactStrictMode: true })\n')).toBeNull()
    expect(addServerExternal('const a = {}\nconst b = {}\nexport default phase === 1 ? a : b\n')).toBeNull()
    expect(addServerExternal('const list = ["pg"]\nexport default { serverExternalPackages: list }\n')).toBeNull()
  })
})
