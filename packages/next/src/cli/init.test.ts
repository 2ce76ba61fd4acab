import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { makeApp } from './app.fixture.js'
import { main } from './main.js'

const apps: string[] = []
afterEach(() => {
  for (const app of apps.splice(0)) rmSync(app, { recursive: true, force: true })
})

function app(shape?: Parameters<typeof makeApp>[0]): string {
  const root = makeApp(shape)
  apps.push(root)
  return root
}

function run(root: string, ...args: string[]): { code: number; out: string; err: string } {
  const out: string[] = []
  const err: string[] = []
  const code = main({
    argv: ['init', ...args],
    cwd: root,
    stdout: (line) => out.push(line),
    stderr: (line) => err.push(line),
  })
  return { code, out: out.join('\n'), err: err.join('\n') }
}

const read = (root: string, file: string) => readFileSync(join(root, file), 'utf8')
const statusOf = (out: string, file: string) =>
  out
    .split('\n')
    .find((line) => line.trim().split(/\s+/)[1] === file)
    ?.trim()
    .split(/\s+/)[0]

const FILES = [
  'lib/baton.ts',
  'app/api/auth/[...baton]/route.ts',
  'app/api/auth/refresh/route.ts',
  'proxy.ts',
  'app/login/page.tsx',
  'app/login/sign-in-form.tsx',
]

describe('init', () => {
  it('writes every file of a create-next-app app (no src/, @/* alias, next.config.ts) and a fresh secret', () => {
    const root = app()
    const { code, out } = run(root)
    expect(code).toBe(0)
    for (const file of FILES) expect(statusOf(out, file)).toBe('created')
    expect(read(root, 'app/api/auth/[...baton]/route.ts')).toContain("from '@/lib/baton'")
    expect(read(root, 'app/api/auth/refresh/route.ts')).toContain(
      'export const { GET, POST, DELETE, PUT, PATCH, OPTIONS } = baton.handlers',
    )
    expect(read(root, 'proxy.ts')).toContain('export const proxy = baton.proxy')
    const lib = read(root, 'lib/baton.ts')
    expect(lib).toContain("createSqliteStore({ file: '.data/baton.db' })")
    expect(lib).toMatch(/TODO: look the user up/)
    expect(lib).toContain("verifyPassword(password ?? '', user?.passwordHash ?? null)")
    const page = read(root, 'app/login/page.tsx')
    expect(page).toContain('safeReturnPath((await searchParams).next)')
    expect(page).not.toContain('Suspense')
    expect(read(root, 'app/login/sign-in-form.tsx')).toContain('await signIn(credentials, { redirectTo: next })')
    expect(read(root, 'next.config.ts')).toContain(
      'const nextConfig: NextConfig = {\n  serverExternalPackages: ["better-sqlite3"],\n  /* config options here */\n};',
    )
    expect(read(root, '.env.local')).toMatch(/^BATON_SECRET=[A-Za-z0-9_-]{43}$/m)
    expect(statSync(join(root, '.env.local')).mode & 0o077).toBe(0)
    // `.env*` already covers .env.local: only .data/ is added.
    expect(read(root, '.gitignore')).toMatch(/\.env\*\n\.data\/\n$/)
  })

  it('is idempotent: a second run changes nothing and reports every file unchanged', () => {
    const root = app()
    run(root)
    const before = [...FILES, 'next.config.ts', '.env.local', '.gitignore'].map((file) => read(root, file))
    const { code, out } = run(root)
    expect(code).toBe(0)
    for (const file of [...FILES, 'next.config.ts', '.env.local', '.gitignore'])
      expect(statusOf(out, file)).toBe('unchanged')
    expect([...FILES, 'next.config.ts', '.env.local', '.gitignore'].map((file) => read(root, file))).toEqual(before)
  })

  it('follows src/, a custom alias, next.config.mjs and Cache Components', () => {
    const root = app({ src: true, alias: '~/*', cacheComponents: true, config: 'mjs' })
    const { code, out } = run(root)
    expect(code).toBe(0)
    expect(out).toContain('src/ directory, import alias ~/, Cache Components on')
    for (const file of FILES) expect(existsSync(join(root, 'src', file))).toBe(true)
    expect(existsSync(join(root, 'lib'))).toBe(false)
    expect(read(root, 'src/proxy.ts')).toContain("from '~/lib/baton'")
    const page = read(root, 'src/app/login/page.tsx')
    expect(page).toContain("from '~/lib/baton'")
    // The request reads (searchParams, the session) happen below <Suspense>, not in the page itself.
    expect(page).toMatch(/<Suspense fallback=\{[^}]+\}>\s*<SignIn searchParams=\{searchParams\} \/>/)
    expect(page).toMatch(/export default function SignInPage/)
    expect(page).toMatch(
      /async function SignIn\([^)]*\) \{\n\s+\/\/[^\n]*\n\s+const next = safeReturnPath\(\(await searchParams\)/,
    )
    expect(read(root, 'next.config.mjs')).toContain(
      "const nextConfig = { serverExternalPackages: ['better-sqlite3'], cacheComponents: true };",
    )
    expect(run(root).out.match(/^\s+unchanged /gm)).toHaveLength(9)
  })

  it('imports with relative paths when no alias reaches the code directory, and creates a missing next.config', () => {
    const root = app({ alias: null, config: null })
    expect(run(root).code).toBe(0)
    expect(read(root, 'app/api/auth/[...baton]/route.ts')).toContain("from '../../../../lib/baton'")
    expect(read(root, 'app/api/auth/refresh/route.ts')).toContain("from '../../../../lib/baton'")
    expect(read(root, 'app/login/page.tsx')).toContain("from '../../lib/baton'")
    expect(read(root, 'proxy.ts')).toContain("from './lib/baton'")
    expect(read(root, 'next.config.ts')).toContain("serverExternalPackages: ['better-sqlite3']")
  })

  it('never overwrites a changed file (unless --force) nor an existing secret', () => {
    const root = app()
    writeFileSync(join(root, '.env.local'), 'DATABASE_URL=x\nBATON_SECRET=mine-of-at-least-32-bytes-aaaaaaaaaa\n')
    run(root)
    writeFileSync(join(root, 'lib/baton.ts'), '// mine\n')
    const { code, out } = run(root)
    expect(code).toBe(0)
    expect(out).toMatch(/skipped\s+lib\/baton\.ts — exists and differs/)
    expect(read(root, 'lib/baton.ts')).toBe('// mine\n')
    expect(read(root, '.env.local')).toBe('DATABASE_URL=x\nBATON_SECRET=mine-of-at-least-32-bytes-aaaaaaaaaa\n')
    const forced = run(root, '--force')
    expect(statusOf(forced.out, 'lib/baton.ts')).toBe('overwritten')
    expect(read(root, 'lib/baton.ts')).toContain('createBaton')
    expect(read(root, '.env.local')).toBe('DATABASE_URL=x\nBATON_SECRET=mine-of-at-least-32-bytes-aaaaaaaaaa\n')
  })

  it('leaves proxy.ts alone next to a middleware.ts, and adds .env*.local when nothing ignores it', () => {
    const root = app()
    writeFileSync(join(root, 'middleware.ts'), 'export { middleware } from "./mine"\n')
    writeFileSync(join(root, '.gitignore'), '/node_modules\n.data\n')
    const { out } = run(root)
    expect(out).toMatch(/skipped\s+proxy\.ts — middleware\.ts exists/)
    expect(existsSync(join(root, 'proxy.ts'))).toBe(false)
    expect(read(root, '.gitignore')).toBe('/node_modules\n.data\n.env*.local\n')
  })

  it('takes the app directory as an argument, and writes no proxy.ts for Next 15 (middleware.ts there)', () => {
    const root = app({ next: '^15.5.0' })
    const { code, out } = run(dirname(root), basename(root))
    expect(code).toBe(0)
    expect(out).toMatch(/skipped\s+proxy\.ts — Next 15 has no proxy\.ts/)
    expect(existsSync(join(root, 'proxy.ts'))).toBe(false)
    expect(existsSync(join(root, 'lib/baton.ts'))).toBe(true)
  })

  it('refuses an app without next (exit 1, says why, writes nothing)', () => {
    const root = app()
    writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'not-next', dependencies: { react: '19.2.0' } }))
    const { code, err } = run(root)
    expect(code).toBe(1)
    expect(err).toMatch(/does not depend on "next"/)
    expect(existsSync(join(root, 'lib'))).toBe(false)
    expect(existsSync(join(root, '.env.local'))).toBe(false)
  })
})

describe('secret', () => {
  it('prints a fresh 43-character base64url secret each time', () => {
    const printed: string[] = []
    for (let i = 0; i < 2; i++)
      expect(main({ argv: ['secret'], cwd: '.', stdout: (line) => printed.push(line) })).toBe(0)
    for (const secret of printed) expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(printed[0]).not.toBe(printed[1])
  })

  it('answers an unknown command with the usage and exit 1', () => {
    const err: string[] = []
    expect(main({ argv: ['nope'], cwd: '.', stderr: (line) => err.push(line) })).toBe(1)
    expect(err.join('\n')).toMatch(/Usage: npx @baton\/next/)
  })
})
