// No file cycle in @baton/next's source nor in the server layer (@baton/core/server), type imports
// included: a cycle means two modules that cannot be understood (or moved) one without the other.
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const src = dirname(fileURLToPath(import.meta.url))
const serverLayer = resolve(src, '../../core/src/server')

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return sources(path)
    return /\.tsx?$/.test(entry.name) && !/\.(test|test-d|fixture)\.tsx?$/.test(entry.name) ? [path] : []
  })
}

/** Each source file's relative imports (static `import`/`export … from`, type-only ones too). */
function graph(root: string = src): Map<string, string[]> {
  const edges = new Map<string, string[]>()
  for (const file of sources(root)) {
    const text = readFileSync(file, 'utf8')
    const targets = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s+['"](\.[^'"]+)['"]/g)].map((m) =>
      resolve(dirname(file), (m[1] as string).replace(/\.js$/, '.ts')),
    )
    edges.set(file, targets)
  }
  return edges
}

/** Every cycle found by a depth-first walk, as a list of relative paths (first file repeated last). */
function cycles(edges: Map<string, string[]>, root: string = src): string[][] {
  const found: string[][] = []
  const state = new Map<string, 'open' | 'done'>()
  const stack: string[] = []
  const visit = (file: string) => {
    state.set(file, 'open')
    stack.push(file)
    for (const next of edges.get(file) ?? []) {
      if (!edges.has(next)) continue
      if (state.get(next) === 'open')
        found.push([...stack.slice(stack.indexOf(next)), next].map((f) => relative(root, f)))
      else if (!state.has(next)) visit(next)
    }
    stack.pop()
    state.set(file, 'done')
  }
  for (const file of edges.keys()) if (!state.has(file)) visit(file)
  return found
}

describe('module graph of @baton/next', () => {
  it('reads the source (the scan is not vacuous)', () => {
    const edges = graph()
    expect(edges.size).toBeGreaterThan(30)
    expect(edges.get(join(src, 'create-baton.ts'))).toContain(join(src, 'options.ts'))
  })

  it('has no import cycle, type-only imports included', () => {
    expect(cycles(graph())).toEqual([])
  })
})

describe('module graph of the server layer (@baton/core/server)', () => {
  it('reads the source (the scan is not vacuous)', () => {
    const edges = graph(serverLayer)
    expect(edges.size).toBeGreaterThan(30)
    expect(edges.get(join(serverLayer, 'create-auth-server.ts'))).toContain(join(serverLayer, 'router.ts'))
  })

  it('has no import cycle, type-only imports included', () => {
    expect(cycles(graph(serverLayer), serverLayer)).toEqual([])
  })

  it('imports nothing of Next', () => {
    const next = [...graph(serverLayer).keys()].filter((f) => /from\s+['"]next[/'"]/.test(readFileSync(f, 'utf8')))
    expect(next).toEqual([])
  })
})
