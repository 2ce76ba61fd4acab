import { readdirSync, readFileSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

const packages = resolve(import.meta.dirname, '../..')
const isTest = (file: string) => /\.(test|test-d|fixture)\.tsx?$/.test(file) || file.includes('/testing/')

/** Every non-test TypeScript source file of every package (`packages/<name>/src/**`). */
function sourceFiles(): string[] {
  return readdirSync(packages, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .flatMap((entry) => {
      const src = join(packages, entry.name, 'src')
      try {
        return readdirSync(src, { recursive: true, encoding: 'utf8' }).map((file) => join(src, file))
      } catch {
        return []
      }
    })
    .filter((file) => /\.tsx?$/.test(file) && !isTest(file))
}

describe('errors in source', () => {
  it('scans the sources of several packages', () => {
    const files = sourceFiles().map((file) => relative(packages, file))
    expect(files).toContain('core/src/session-engine.ts')
    expect(files.some((file) => file.startsWith('next/src/'))).toBe(true)
    expect(files.some((file) => file.includes('.test.'))).toBe(false)
  })

  it("throws a code's own class, never `new BatonError('ERR_…')`", () => {
    const offenders = sourceFiles().flatMap((file) => {
      const text = readFileSync(file, 'utf8')
      return [...text.matchAll(/new BatonError\(\s*['"`]ERR_/g)].map(
        (match) => `${relative(packages, file)}:${text.slice(0, match.index).split('\n').length}`,
      )
    })
    expect(offenders, 'use the subclass of the code (e.g. `new CsrfError()`) instead').toEqual([])
  })
})
