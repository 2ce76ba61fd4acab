import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { detectProject, importPath, type Project } from './detect-project.js'
import { writeEnvLocal, writeGitignore } from './env-files.js'
import { addServerExternal, NEW_NEXT_CONFIG, SERVER_EXTERNAL } from './next-config.js'
import { generateSecret } from './secret.js'
import { libBaton } from './templates/lib-baton.js'
import { proxyFile } from './templates/proxy.js'
import { refreshRouteHandler, routeHandler } from './templates/route-handler.js'
import { signInForm } from './templates/sign-in-form.js'
import { signInPage } from './templates/sign-in-page.js'
import { type Outcome, writeGenerated } from './write-files.js'

/** Options of {@link init}. */
export interface InitOptions {
  /** The app's root (where its package.json is). */
  root: string
  /** Replace generated files that were changed since (never `.env.local`'s secret). Default false. */
  force?: boolean
}

/** What {@link init} found and did. */
export interface InitReport {
  project: Project
  outcomes: Outcome[]
}

/**
 * Sets Baton up in an existing Next.js app: lib/baton.ts, the route handler,
 * proxy.ts, the sign-in page, next.config's `serverExternalPackages`, a secret
 * in .env.local and .gitignore lines. Never replaces a file that differs from
 * what it would write (unless `force`), nor an existing secret. Throws
 * `InitError` when `root` is not a Next.js app with TypeScript.
 */
export function init({ root, force = false }: InitOptions): InitReport {
  const project = detectProject(root)
  const code = project.srcDir ? `${project.srcDir}/` : ''
  const lib = `${code}lib/baton`
  const generate = (file: string, content: (libImport: string) => string): Outcome =>
    writeGenerated(root, file, content(importPath(project, file, lib)), force)
  const outcomes = [
    generate(`${lib}.ts`, () => libBaton()),
    generate(`${code}app/api/auth/[...baton]/route.ts`, (libImport) => routeHandler({ libImport })),
    generate(`${code}app/api/auth/refresh/route.ts`, (libImport) => refreshRouteHandler({ libImport })),
    writeProxy(project, code, (file) => generate(file, (libImport) => proxyFile({ libImport }))),
    generate(`${code}app/login/page.tsx`, (libImport) =>
      signInPage({ libImport, cacheComponents: project.cacheComponents }),
    ),
    generate(`${code}app/login/sign-in-form.tsx`, () => signInForm()),
    writeNextConfig(project),
    writeEnvLocal(root, generateSecret()),
    writeGitignore(root),
  ]
  return { project, outcomes }
}

function writeProxy(project: Project, code: string, write: (file: string) => Outcome): Outcome {
  const file = `${code}proxy.ts`
  if (project.nextMajor !== null && project.nextMajor < 16)
    return { file, status: 'skipped', reason: `Next ${project.nextMajor} has no proxy.ts: use middleware.ts (README)` }
  for (const middleware of ['middleware.ts', 'middleware.js'])
    if (existsSync(join(project.root, code, middleware)))
      return { file, status: 'skipped', reason: `${code}${middleware} exists: export baton.proxy from it instead` }
  return write(file)
}

function writeNextConfig(project: Project): Outcome {
  if (!project.nextConfig) return writeGenerated(project.root, 'next.config.ts', NEW_NEXT_CONFIG, false)
  const file = project.nextConfig
  const path = join(project.root, file)
  const edited = addServerExternal(readFileSync(path, 'utf8'))
  if (edited === 'present') return { file, status: 'unchanged' }
  if (edited === null)
    return {
      file,
      status: 'skipped',
      reason: `not a shape init edits: add \`${SERVER_EXTERNAL}\` to the config yourself`,
    }
  writeFileSync(path, edited)
  return { file, status: 'updated' }
}
